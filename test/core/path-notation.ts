/**
 * Reads a `ValidationIssue.path` back into keys, the way a caller would: dot-separated simple keys and array
 * indexes, any other key in brackets as a JSON string (`headers[""]`, `data["a.b"]`). Tests use it to show the
 * notation is unambiguous and to turn a path into the JSON Pointer a JSON Schema validator reports.
 */
export function pathKeys(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  let rest = path;
  while (rest) {
    if (rest.startsWith("[")) {
      // The longest JSON string literal followed by `]`.
      const match = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
      if (!match) throw new Error(`not a path: ${path}`);
      keys.push(JSON.parse(match[1]!) as string);
      rest = rest.slice(match[0].length);
    } else {
      const match = /^\.?([^.[]+)/.exec(rest);
      if (!match) throw new Error(`not a path: ${path}`);
      keys.push(/^\d+$/.test(match[1]!) ? Number(match[1]) : match[1]!);
      rest = rest.slice(match[0].length);
    }
  }
  return keys;
}

/** The JSON Pointer (RFC 6901) of a path, as Ajv reports `instancePath`. */
export function pathPointer(path: string): string {
  return pathKeys(path)
    .map((key) => `/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`)
    .join("");
}
