/**
 * Hostile input for the generated-input suite: mutations of valid messages and arbitrary values.
 *
 * Values that fast-check itself cannot touch safely (a revoked Proxy throws on `in`, which fast-check uses on
 * every generated value; a throwing getter throws when printed) are generated as `Recipe`s and only made real
 * by `materialize`, freshly for each send. Recipes print as what they stand for, so a counterexample reads
 * `{template_id: revokedProxy()}`.
 */
import fc from "fast-check";
import type { AnswerRecipe } from "./answers.js";

type RecipeKind =
  | "revokedProxy" | "throwingGetter" | "trapProxy" | "transparentProxy" | "flipGetter" | "inherited"
  | "abortedSignal" | "fakeSignal" | "deep" | "deepArray" | "cycle" | "wide";

/** A value made real only when the input is sent. */
export class Recipe {
  readonly kind: RecipeKind;
  readonly payload?: unknown;
  constructor(kind: RecipeKind, payload?: unknown) {
    this.kind = kind;
    this.payload = payload;
  }
  [fc.toStringMethod](): string {
    return `${this.kind}(${this.payload === undefined ? "" : printValue(this.payload)})`;
  }
}

/**
 * Accessor properties whose first read is what the library should have used: a getter that flips after its
 * first read tells a library that reads a field twice (once to check, once to send) from one that reads it once.
 */
const firstReads = new WeakMap<() => unknown, unknown>();

/** The value the first read of `key` gave, when it is a flip getter (found by its getter, so copies keep it). */
export function firstRead(object: object, key: string): { found: boolean; value?: unknown } {
  const getter = Object.getOwnPropertyDescriptor(object, key)?.get;
  return getter && firstReads.has(getter) ? { found: true, value: firstReads.get(getter) } : { found: false };
}

/**
 * A plain copy of an object's enumerable fields, own or inherited, without `key`; getters are kept as getters.
 * Anything else (a Map, a revoked Proxy, a string) comes back as it is.
 */
export function omitKey(object: unknown, key: string): unknown {
  if (typeof object !== "object" || object === null || Array.isArray(object)) return object;
  if (Object.prototype.toString.call(object) !== "[object Object]" || typeof (object as { toJSON?: unknown }).toJSON === "function") return object;
  const copy: Record<string, unknown> = {};
  for (const field in object) {
    if (field === key) continue;
    let owner: object | null = object;
    while (owner && !Object.prototype.hasOwnProperty.call(owner, field)) owner = Object.getPrototypeOf(owner);
    Object.defineProperty(copy, field, { ...Object.getOwnPropertyDescriptor(owner!, field)!, enumerable: true, configurable: true });
  }
  return copy;
}

const isPlainContainer = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && (Array.isArray(value) || [Object.prototype, null].includes(Object.getPrototypeOf(value)));

/** A fresh copy of `value` with every `Recipe` made real. Only plain objects and arrays are walked. */
export function materialize(value: unknown): unknown {
  if (value instanceof Recipe) return realize(value);
  if (!isPlainContainer(value)) return value;
  const copy: Record<string, unknown> = Array.isArray(value) ? new Array(value.length) : Object.create(Object.getPrototypeOf(value));
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item instanceof Recipe && item.kind === "throwingGetter") {
      Object.defineProperty(copy, key, { enumerable: true, configurable: true, get: () => { throw new Error(`getter ${key} throws`); } });
    } else if (item instanceof Recipe && item.kind === "flipGetter") {
      const { first, then } = item.payload as { first: unknown; then: unknown };
      let reads = 0;
      const get = () => (reads++ === 0 ? first : then);
      firstReads.set(get, first);
      Object.defineProperty(copy, key, { enumerable: true, configurable: true, get });
    } else {
      Object.defineProperty(copy, key, { value: materialize(item), enumerable: true, configurable: true, writable: true });
    }
  }
  return Object.isFrozen(value) ? Object.freeze(copy) : copy;
}

function realize(recipe: Recipe): unknown {
  switch (recipe.kind) {
    case "revokedProxy": {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    }
    case "throwingGetter":
      return Object.defineProperty({}, "value", { enumerable: true, get: () => { throw new Error("getter throws"); } });
    case "trapProxy":
      return new Proxy(materialize(recipe.payload) as object, {
        ownKeys: () => { throw new Error("ownKeys trap throws"); },
        get: () => { throw new Error("get trap throws"); },
        has: () => { throw new Error("has trap throws"); },
      });
    case "transparentProxy":
      return new Proxy(materialize(recipe.payload) as object, {});
    case "inherited":
      return Object.create(materialize(recipe.payload) as object);
    case "flipGetter":
      return (recipe.payload as { first: unknown }).first;
    case "deep": return nested(5000, (inner) => ({ a: inner }));
    case "deepArray": return nested(5000, (inner) => [inner]);
    case "cycle": {
      const cycle: Record<string, unknown> = { a: "b" };
      cycle.self = cycle;
      return cycle;
    }
    case "wide": return Object.fromEntries(Array.from({ length: 20_000 }, (_, index) => [`k${index}`, "v"]));
    case "abortedSignal":
      return AbortSignal.abort();
    case "fakeSignal":
      // Looks like a signal to a careless check, is none.
      return { aborted: false };
  }
}

/** Prints any input, however hostile, without throwing. */
export function printValue(value: unknown, depth = 0): string {
  if (value instanceof Recipe) return value[fc.toStringMethod]();
  if (depth > 6) return "…";
  if (typeof value === "object" && value !== null) {
    try {
      Reflect.ownKeys(value);
    } catch {
      return "<revoked or throwing Proxy>";
    }
    if (isPlainContainer(value)) {
      const parts: string[] = [];
      const keys = Object.keys(value);
      for (let index = 0; index < (Array.isArray(value) ? value.length : keys.length); index++) {
        const key = Array.isArray(value) ? String(index) : keys[index]!;
        const descriptor = Object.getOwnPropertyDescriptor(value, key);
        const shown = !descriptor ? "<hole>" : descriptor.get ? "<getter>" : printValue(descriptor.value, depth + 1);
        parts.push(Array.isArray(value) ? shown : `${JSON.stringify(key)}: ${shown}`);
      }
      const proto = Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype ? "" : "[null prototype] ";
      return Array.isArray(value) ? `[${parts.join(", ")}]` : `${proto}{${parts.join(", ")}}`;
    }
  }
  try {
    if (typeof Blob !== "undefined" && value instanceof Blob) {
      const name = (value as Partial<File>).name;
      return `${typeof name === "string" ? `File(${JSON.stringify(name)})` : "Blob"}(${value.size} bytes, type ${JSON.stringify(value.type)})`;
    }
    return fc.stringify(value);
  } catch {
    return "<unprintable>";
  }
}

/** Characters that must never slip into a header, a file name or XML unnoticed. */
export const CONTROL_AND_INVISIBLE = [
  "\r", "\n", "\r\n", "\0", "\t", "\v", "\f", "\x1B", "\x7F", "\u0085", "\u2028", "\u2029", "\u200B", "\u200E",
  "\u200F", "\u061C", "\uFEFF", "\u202E", "\uD800", "\uDC00", "\uFFFE", "\uFFFF", "\u00A0",
];

/** Strings near a rule's edge: addresses, IPs, URLs, base64, MIME types, injections. */
export const NEAR_MISS_STRINGS = [
  "", " ", ".", "..", "/", "a/b", "%2e%2e", "?", "#",
  "a@b", ".a@b.co", "a.@b.co", "a..b@b.co", "!a@a.aa", "a@b.c", "a@-b.co", "a@b-.co", "a@b..co", "\"a b\"@c.co",
  "user@[127.0.0.1]", "ü@b.co", "a@bü.co", "Ada <ada@example.com>", "ada@example.com, bob@example.com", " ada@example.com",
  "ada@example.com\r\nBcc: evil@example.com", "a".repeat(65) + "@example.com", `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(60)}.com`,
  "fe80::1%eth0", "::0:0:0:0:0:0.0.0.0", "::ffff:1.2.3.4", "1.2.3.04", "1.2.3.256", "::", "2001:db8::1", "1:2:3:4:5:6:7:8:9",
  "javascript:alert(1)", "https://example.com/a b", "http://localhost/", "https://exa mple.com",
  "YQ==", "YQ", "Y Q==", "YQ==\n", "not base64!",
  "text/plain", "text/plain; charset=utf-8", "text/", "a/b/c",
  "]]>", "<![CDATA[x]]>", "</Value><ApiKey>x</ApiKey>", "&amp;", "*[subscriber_firstname]*", "{{ .Tx.Data }}",
  "X-Order", "x-order", "Bcc", "X-A\r\nBcc", "__proto__", "constructor", "prototype", "toString",
  "%0D%0A", "a%22b", "a\"b", "a\\b", "a;b", "a\u0000b", "a\r\nb", "a\nb", "report.pdf", "\uD800.pdf",
  "true", "1", "-1", "0", "1e3", "NaN", "2024-05-01", "2024-02-30", "+7",
];

/** Addresses on the edge of `format: email`, some accepted by it and some not. */
export const ADDRESS_EDGES = [
  "a@b", ".a@b.co", "a.@b.co", "a..b@b.co", "!a@a.aa", "#{}|~@a.aa", "a@b.c", "a@-b.co", "a@b-.co", "a@b_c.co", "a@b.co.",
  "user@[127.0.0.1]", "\"a b\"@c.co", "ü@b.co", "a@bü.co", "A@B.CO", "o'brien+tag@mail.example.co.uk", "a@localhost",
  "a@1.2.3.4", "a".repeat(65) + "@example.com", `a@${"b".repeat(64)}.com`, `a@${"b".repeat(63)}.com`, " a@b.co", "a@b.co ",
  "a@b.co\n", "Ada <ada@example.com>", "a@b.co, c@d.co", "a@@b.co", "@b.co", "a@", "",
];

/** IPs on the edge of `format: ipv4` / `ipv6`. */
export const IP_EDGES = [
  "fe80::1%eth0", "::0:0:0:0:0:0.0.0.0", "::ffff:1.2.3.4", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1.2.3.04", "01.2.3.4",
  "1.2.3.256", "::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "2001:DB8::1", "[::1]", "1.2.3", "1.2.3.4 ",
  " 1.2.3.4", "1.2.3.4/24", "1.2.3.4\n", "0.0.0.0", "255.255.255.255", "::ffff:1.2.3.256", "1::2::3", "",
];

/** Record keys on the edge of a header name, an address or a template tag. */
export const RECORD_KEY_EDGES = [
  "X-A\r\nBcc", "X-A\n", "X A", "X:A", "X-ü", "x-lower", "X-", "Bcc", "\0", "a@b", "!a@a.aa", "A@B.CO", "*[tr_x]*", "{{x}}", "\uD800",
];

/** Keys a record or object must carry faithfully or refuse, never drop. */
export const TRICKY_KEYS = ["__proto__", "constructor", "prototype", "", "toString", "hasOwnProperty", "__defineGetter__", "toJSON", "then"];

const controlChar = fc.constantFrom(...CONTROL_AND_INVISIBLE);

/** Strings that break a rule, or sit on its edge. */
export function hostileString(extra: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...NEAR_MISS_STRINGS, ...extra),
    fc.string({ unit: "binary", maxLength: 30 }),
    fc.string({ unit: controlChar, minLength: 1, maxLength: 4 }),
    fc.integer({ min: 40, max: 4000 }).map((n) => "x".repeat(n)),
  );
}

/** Values of the wrong kind: exotic objects, numbers JSON cannot carry, hostile recipes. */
export const exoticValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -0, undefined, null, 0, 1.5, -1, 2 ** 31, 2 ** 53 + 2, true, false, 1e21),
  fc.bigInt(),
  fc.constant(null).map(() => Symbol("s")),
  fc.constant(null).map(() => () => "ada@example.com"),
  fc.constantFrom("map", "set", "date", "invalidDate", "u8", "f64", "buffer", "string", "number", "boolean", "toJSON", "toJSONself", "sparse", "undefinedItem", "regexp", "error", "promise", "instance", "nullProto", "blob", "file", "fileHostile", "frozen").map(exotic),
  // Built only when sent: the tree walkers here would follow a cycle forever.
  fc.constantFrom("deep", "deepArray", "cycle", "wide").map((kind) => new Recipe(kind as Recipe["kind"])),
  fc.constantFrom("revokedProxy", "throwingGetter").map((kind) => new Recipe(kind as Recipe["kind"])),
  fc.jsonValue({ maxDepth: 2 }).map((value) => new Recipe("trapProxy", typeof value === "object" && value !== null ? value : { value })),
  fc.anything({
    maxDepth: 2,
    withBoxedValues: true,
    withMap: true,
    withSet: true,
    withDate: true,
    withTypedArray: true,
    withSparseArray: true,
    withNullPrototype: true,
    withBigInt: true,
    withObjectString: true,
    stringUnit: "binary",
  }),
);

function exotic(name: string): unknown {
  switch (name) {
    case "map": return new Map([["a", "b"]]);
    case "set": return new Set(["ada@example.com"]);
    case "date": return new Date(0);
    case "invalidDate": return new Date(NaN);
    case "u8": return new Uint8Array([1, 2]);
    case "f64": return new Float64Array([1.5]);
    case "buffer": return new ArrayBuffer(2);
    case "string": return new String("ada@example.com");
    case "number": return new Number(2);
    case "boolean": return new Boolean(true);
    case "toJSON": return { toJSON: () => 5 };
    case "toJSONself": return { toJSON: () => "ada@example.com" };
    case "sparse": return [, "a"];
    case "undefinedItem": return ["a", undefined];
    case "regexp": return /a/;
    case "error": return new Error("boom");
    case "promise": return Promise.resolve("ada@example.com");
    case "instance": return new (class Message { template_id = 2; })();
    case "nullProto": return Object.assign(Object.create(null), { a: "b" });
    case "blob": return new Blob(["x"]);
    case "file": return new File(["x"], "file.txt");
    case "frozen": return Object.freeze({ a: "b" });
    default: return new File(["x"], "a\r\nb\0c.txt");
  }
}

function nested(depth: number, wrapOnce: (inner: unknown) => unknown): unknown {
  let value: unknown = "leaf";
  for (let level = 0; level < depth; level++) value = wrapOnce(value);
  return value;
}

/** A path into a plain tree, root first. */
type Path = (string | number)[];

/** Every path into plain objects and arrays of `tree`, the root included. */
function pathsOf(tree: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (isPlainContainer(tree)) {
    for (const key of Object.keys(tree)) pathsOf(tree[key], [...prefix, Array.isArray(tree) ? Number(key) : key], out);
  }
  return out;
}

/** A mutation, as data: which path (an index into the tree's paths) and what to do there. */
type Mutation =
  | { op: "set"; at: number; value: unknown }
  | { op: "insertChar"; at: number; char: string; position: number }
  | { op: "addKey"; at: number; key: string; value: unknown }
  | { op: "delete"; at: number }
  | { op: "replaceString"; at: number; value: string }
  | { op: "recordKey"; at: number; key: string; value: unknown }
  | { op: "hostileFile"; at: number; name: string; dropName: boolean }
  | { op: "field"; at: number; pick: number }
  | { op: "wrap"; at: number; how: "map" | "set" | "toJSON" | "nullProto" | "freeze" | "sparse" | "boxed" | "proxy" | "inherited" | "flip" | "extend" };

/** File names every vendor must carry unchanged or refuse, whether given as a name or as a `File`'s own name. */
export const HOSTILE_FILE_NAMES = [
  "a\r\nb.txt", "a\nContent-Type: text/html", "a\0b.txt", "a\"b.txt", "a\\b.txt", "a/b.txt", "..", ".", "", " ", "\uD800.txt",
  "a%22b.txt", "a%0D%0Ab.txt", "a\u2028b.txt", "a\u202Eb.txt", "a;b.txt", "ü.txt", "a\tb.txt", "x".repeat(300),
];

export function mutation(strings: readonly string[]): fc.Arbitrary<Mutation> {
  const value = fc.oneof(hostileString(strings), exoticValue);
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant("replaceString" as const), at: fc.nat(), value: hostileString([...strings, ...HOSTILE_FILE_NAMES]) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant("recordKey" as const),
        at: fc.nat(),
        key: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TRICKY_KEYS) }, fc.constantFrom(...RECORD_KEY_EDGES), fc.string({ unit: "binary", maxLength: 6 })),
        value: fc.oneof(fc.constant("x"), value),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("hostileFile" as const), at: fc.nat(), name: fc.constantFrom(...HOSTILE_FILE_NAMES), dropName: fc.boolean() }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant("field" as const), at: fc.nat(), pick: fc.nat() }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant("set" as const), at: fc.nat(), value }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant("insertChar" as const), at: fc.nat(), char: controlChar, position: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("addKey" as const), at: fc.nat(), key: fc.oneof(fc.constantFrom(...TRICKY_KEYS), fc.string({ maxLength: 8 })), value: fc.oneof(fc.constant("x"), value) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("delete" as const), at: fc.nat() }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant("wrap" as const),
        at: fc.nat(),
        how: fc.constantFrom("map", "set", "toJSON", "nullProto", "freeze", "sparse", "boxed", "proxy", "inherited", "flip", "extend"),
      }),
    },
  );
}

const isBinary = (value: unknown) => value instanceof Uint8Array || value instanceof ArrayBuffer || (typeof Blob !== "undefined" && value instanceof Blob);

/** The concrete paths matching a pattern (`*` matches every index or key); the pattern itself when nothing matches. */
function expand(tree: unknown, pattern: readonly string[]): Path[] {
  let paths: Path[] = [[]];
  for (const step of pattern) {
    paths = paths.flatMap((path) => {
      const node = get(tree, path);
      if (!isPlainContainer(node)) return [];
      if (step !== "*") return [[...path, step]];
      return Object.keys(node).map((key) => [...path, Array.isArray(node) ? Number(key) : key]);
    });
  }
  return paths;
}

/** A field (a path pattern, `*` for every item) and the edge values worth putting there. */
export type FieldEdges = readonly [pattern: readonly string[], values: readonly unknown[]];

/** `base` (a plain tree, not changed) with the mutations applied in order. `records` are the paths of free-form records. */
export function applyMutations(base: unknown, mutations: readonly Mutation[], records: readonly (readonly string[])[] = [], fields: readonly FieldEdges[] = []): unknown {
  let tree = structuredCloneKeepingBlobs(base);
  for (const m of mutations) {
    if (m.op === "field") {
      if (!fields.length) continue;
      const [pattern, values] = fields[m.at % fields.length]!;
      let targets = expand(tree, pattern);
      if (!targets.length && !pattern.includes("*") && isPlainContainer(get(tree, pattern.slice(0, -1)))) targets = [[...pattern]];
      const target = targets[m.pick % Math.max(targets.length, 1)];
      if (target) tree = put(tree, target, values[m.pick % values.length]);
      continue;
    }
    if (m.op === "replaceString" || m.op === "hostileFile") {
      const leaves = pathsOf(tree).filter((path) => (m.op === "replaceString" ? typeof get(tree, path) === "string" : isBinary(get(tree, path))));
      if (!leaves.length) continue;
      const path = leaves[m.at % leaves.length]!;
      const bytes = m.op === "hostileFile" ? new File([new Uint8Array([37, 80, 68, 70])], m.name, { type: "application/pdf" }) : m.value;
      tree = put(tree, path, bytes);
      // Without an explicit name, the File's own name is the one sent.
      if (m.op === "hostileFile" && m.dropName) {
        const parent = get(tree, path.slice(0, -1));
        if (isPlainContainer(parent) && !Object.isFrozen(parent)) for (const key of ["filename", "FileName"]) delete parent[key];
      }
      continue;
    }
    if (m.op === "recordKey") {
      if (!records.length) continue;
      const pattern = records[m.at % records.length]!;
      let targets = expand(tree, pattern).filter((path) => isPlainContainer(get(tree, path)) && !Array.isArray(get(tree, path)));
      if (!targets.length && !pattern.includes("*") && isPlainContainer(get(tree, pattern.slice(0, -1)))) {
        tree = put(tree, [...pattern], {});
        targets = [[...pattern]];
      }
      const target = targets[m.at % Math.max(targets.length, 1)];
      if (!target) continue;
      // A frozen parent may have kept the record from being made.
      const record = get(tree, target);
      if (isPlainContainer(record)) Reflect.defineProperty(record, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
      continue;
    }
    const paths = pathsOf(tree);
    const path = paths[m.at % paths.length]!;
    const current = get(tree, path);
    let next: unknown = current;
    switch (m.op) {
      case "set":
        next = m.value;
        break;
      case "insertChar":
        if (typeof current !== "string") continue;
        next = current.slice(0, m.position % (current.length + 1)) + m.char + current.slice(m.position % (current.length + 1));
        break;
      case "addKey":
        if (!isPlainContainer(current) || Array.isArray(current)) continue;
        Reflect.defineProperty(current, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
        continue;
      case "delete":
        if (path.length === 0) continue;
        remove(tree, path);
        continue;
      case "wrap":
        next = wrap(current, m.how);
        break;
    }
    tree = put(tree, path, next);
  }
  return tree;
}

function wrap(value: unknown, how: Extract<Mutation, { op: "wrap" }>["how"]): unknown {
  const plain = isPlainContainer(value);
  switch (how) {
    case "map": return plain && !Array.isArray(value) ? new Map(Object.entries(value)) : value;
    case "set": return Array.isArray(value) ? new Set(value) : value;
    case "toJSON": return plain ? { toJSON: () => value } : value;
    case "nullProto": return plain && !Array.isArray(value) ? Object.assign(Object.create(null), value) : value;
    case "freeze": return plain ? Object.freeze(value) : value;
    case "sparse": return Array.isArray(value) ? Object.assign([...value], { length: value.length + 1 }) : value;
    case "boxed": return typeof value === "string" ? new String(value) : typeof value === "number" ? new Number(value) : typeof value === "boolean" ? new Boolean(value) : value;
    case "proxy": return plain ? new Recipe("transparentProxy", value) : value;
    case "inherited": return plain && !Array.isArray(value) ? new Recipe("inherited", value) : value;
    case "flip": return typeof value === "string" ? new Recipe("flipGetter", { first: value, then: `${value}\r\nBcc: evil@example.com` }) : value;
    case "extend": return Array.isArray(value) && value.length ? [...value, ...value, ...value, ...value, ...value, ...value] : value;
  }
}

function structuredCloneKeepingBlobs(value: unknown): unknown {
  if (!isPlainContainer(value)) return value;
  if (Array.isArray(value)) return value.map(structuredCloneKeepingBlobs);
  const copy: Record<string, unknown> = Object.create(Object.getPrototypeOf(value));
  for (const key of Object.keys(value)) {
    Object.defineProperty(copy, key, { value: structuredCloneKeepingBlobs(value[key]), enumerable: true, configurable: true, writable: true });
  }
  return copy;
}

function get(tree: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (isPlainContainer(node) ? node[key as string] : undefined), tree);
}

function put(tree: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = get(tree, path.slice(0, -1)) as Record<string, unknown>;
  // A frozen container stays as it is.
  Reflect.defineProperty(parent, path.at(-1)!, { value, enumerable: true, configurable: true, writable: true });
  return tree;
}

function remove(tree: unknown, path: Path): void {
  const parent = get(tree, path.slice(0, -1)) as Record<string, unknown>;
  if (Object.isFrozen(parent)) return;
  if (Array.isArray(parent)) parent.splice(path.at(-1) as number, 1);
  else delete parent[path.at(-1)!];
}

/** Where an input came from: a valid message, a mutated one, or any value at all. */
export type Origin = "valid" | "mutated" | "arbitrary" | "answer";

export interface GeneratedInput {
  readonly origin: Origin;
  readonly input: unknown;
  /** The send's second argument (`{signal, timeoutMs}`), hostile now and then; a `Recipe` for an AbortSignal. */
  readonly call?: unknown;
  /** The vendor's answer to the message request, when the answer is what is generated. */
  readonly answer?: AnswerRecipe;
  [fc.toStringMethod](): string;
}

const generated = (origin: Origin, input: unknown, call?: unknown): GeneratedInput => ({
  origin,
  input,
  call,
  [fc.toStringMethod]: () => `${origin}: ${printValue(input)}${call === undefined ? "" : `, call ${printValue(call)}`}`,
});

/** What the second argument of `send` may be: mostly nothing, sometimes odd timeouts, aborted or fake signals. */
export const callOptions: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.record({ timeoutMs: fc.constantFrom<unknown>(NaN, -1, 0, 0.5, Infinity, 2 ** 31, 1e12, "100", null, 5000) }) },
  { weight: 1, arbitrary: fc.record({ signal: fc.constantFrom<unknown>(new Recipe("abortedSignal"), null, "signal", new Recipe("fakeSignal"), new Recipe("revokedProxy")) }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, "options", 5, new Recipe("revokedProxy"), new Recipe("throwingGetter")) },
);

/** A valid message answered with a generated answer. */
export function answeredInputs(valid: fc.Arbitrary<unknown>, answer: fc.Arbitrary<AnswerRecipe>): fc.Arbitrary<GeneratedInput> {
  return fc.tuple(valid, answer).map(([input, recipe]) => ({
    origin: "answer" as const,
    input,
    answer: recipe,
    [fc.toStringMethod]: () => {
      const body = typeof recipe.body === "string" ? JSON.stringify(recipe.body.length > 160 ? `${recipe.body.slice(0, 160)}…(${recipe.body.length} characters)` : recipe.body) : printValue(recipe.body);
      return `${printValue(input)} answered ${recipe.status} ${JSON.stringify(recipe.headers)} ${body}`;
    },
  }));
}

/** The inputs a vendor's send is fed: its valid messages, mutations of them, and arbitrary values. */
export function generatedInputs(
  valid: fc.Arbitrary<unknown>,
  strings: readonly string[],
  records: readonly (readonly string[])[] = [],
  fields: readonly FieldEdges[] = [],
): fc.Arbitrary<GeneratedInput> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.tuple(valid, callOptions).map(([input, call]) => generated("valid", input, call)) },
    {
      weight: 7,
      arbitrary: fc
        .tuple(valid, fc.array(mutation(strings), { minLength: 1, maxLength: 3 }), callOptions)
        .map(([base, mutations, call]) => generated("mutated", applyMutations(base, mutations, records, fields), call)),
    },
    { weight: 1, arbitrary: exoticValue.map((input) => generated("arbitrary", input)) },
  );
}
