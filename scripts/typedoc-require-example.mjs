// A TypeDoc plugin (typedoc.json): every export of every package entry shows its use in an `@example`, on the
// export itself or, for a function, on its signature; a re-export of another entry's export is checked there. A missing one is a validation warning, which
// `treatWarningsAsErrors` turns into a failed `npm test`.
import { Application, ReflectionKind } from "typedoc";

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    for (const entry of project.children ?? []) {
      // A re-export of what another entry declares (the outcome types in every vendor entry) is checked there.
      for (const exported of (entry.children ?? []).filter((child) => !child.kindOf(ReflectionKind.Reference))) {
        const comments = [exported.comment, ...(exported.signatures ?? []).map((signature) => signature.comment)];
        if (comments.some((comment) => comment?.blockTags.some((tag) => tag.tag === "@example"))) continue;
        const where = exported.sources?.[0] ? ` (${exported.sources[0].fileName}:${exported.sources[0].line})` : "";
        app.logger.validationWarning(`${entry.name}: ${ReflectionKind.singularString(exported.kind)} ${exported.name} has no @example${where}`);
      }
    }
  });
}
