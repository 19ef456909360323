/**
 * Every relative link in the README, the changelog and docs/ leads somewhere: the file (or folder) exists, and an
 * `#anchor` names a heading of the page it points to, as GitHub makes heading anchors. Links to other sites are
 * not fetched. Only link targets and headings are read, never the prose around them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LOCAL_DOCS } from "../../worker/pages/home.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

function markdownFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith(".md") ? [path] : [];
  });
}

/** The pages whose links are checked, relative to the repository. */
const PAGES = ["README.md", "CHANGELOG.md", ...markdownFiles("docs")];

/** The text outside fenced code blocks and inline code, where a `[..](..)` is a link and a `#` line a heading. */
function outsideCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/`[^`\n]*`/g, (code) => code.replace(/[[\]()]/g, " "));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2, ... */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const text = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  for (const [, heading] of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = heading!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/[`*_]/g, (char) => (char === "_" ? "_" : ""))
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Each link target of a page that is not another site's address. */
function relativeLinks(markdown: string): string[] {
  const targets = [...outsideCode(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]!);
  return targets.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe("links in the docs", () => {
  it("checks the README, the changelog and every page in docs/", () => {
    expect(PAGES).toContain("docs/ARCHITECTURE.md");
    expect(PAGES.length).toBeGreaterThan(8);
  });

  it.each(PAGES)("%s: every relative link resolves", (page) => {
    const markdown = readFileSync(join(root, page), "utf8");
    const broken: string[] = [];
    for (const target of relativeLinks(markdown)) {
      const [path, anchor] = target.split("#", 2) as [string, string | undefined];
      const file = path === "" ? join(root, page) : join(root, dirname(page), decodeURIComponent(path));
      if (!existsSync(file)) {
        broken.push(`${target}: no such file ${relative(root, file)}`);
        continue;
      }
      if (anchor === undefined) continue;
      if (statSync(file).isDirectory() || !file.endsWith(".md")) {
        broken.push(`${target}: an anchor into something that is not a markdown page`);
      } else if (!headingAnchors(readFileSync(file, "utf8")).has(anchor)) {
        broken.push(`${target}: no heading "#${anchor}" in ${relative(root, file)}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe("the local index page's docs", () => {
  it.each(LOCAL_DOCS.map((doc) => doc.path))("%s exists", (path) => {
    expect(existsSync(join(root, path))).toBe(true);
  });
});

describe("heading anchors", () => {
  it("are made as GitHub makes them", () => {
    const anchors = headingAnchors("# Browsers: `POST /v1/actions`\n## This repository's tests\n### The policy (your `actions.ts`)\n## Run\n## Run\n```sh\n# not a heading\n```\n");
    expect([...anchors]).toEqual(["browsers-post-v1actions", "this-repositorys-tests", "the-policy-your-actionsts", "run", "run-1"]);
  });
});
