/**
 * Removes credentials from anything txgate hands back: outcome messages, vendor bodies, error causes, log entries.
 * Each client registers its secrets (and the encodings they travel in, such as a Basic header's base64) once.
 */
export const REDACTED = "[redacted]";

/** How deep `value` copies; no vendor's answer comes near it. */
const MAX_DEPTH = 64;
/** What stands for a value below `MAX_DEPTH`. */
const TOO_DEEP = "[nested too deep]";

/** Secrets shorter than this are not searched for: replacing "a" everywhere would mangle every message. */
const MIN_SECRET_LENGTH = 4;

export class Redactor {
  /** Longest first, so a secret that contains another (`user:token` holds `token`) goes whole. */
  #secrets: string[] = [];

  /** Registers secret values; empty and very short values are ignored. */
  add(...secrets: readonly (string | undefined)[]): this {
    const kept = new Set(this.#secrets);
    for (const secret of secrets) {
      if (secret && secret.length >= MIN_SECRET_LENGTH) kept.add(secret);
    }
    this.#secrets = [...kept].sort((a, b) => b.length - a.length);
    return this;
  }

  /** The text with every registered secret replaced by `[redacted]`. */
  text(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  /**
   * A deep copy of a JSON-like value with every string redacted (keys included). Below `MAX_DEPTH` levels a value
   * is replaced by `TOO_DEEP`: a vendor body nested thousands deep would otherwise overflow the stack, and the send
   * that carried it would reject instead of ending in its outcome.
   */
  value<T>(value: T, depth = 0): T {
    // Nearly every answer holds no secret: a look costs far less than a copy on every send.
    if (depth === 0 && !this.#needsCopy(value, 0)) return value;
    if (typeof value === "string") return this.text(value) as T;
    if (!value || typeof value !== "object") return value;
    if (depth >= MAX_DEPTH) return TOO_DEEP as T;
    if (Array.isArray(value)) return value.map((item) => this.value(item, depth + 1)) as T;
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[this.text(key)] = this.value(item, depth + 1);
    return copy as T;
  }

  /** Whether `value` holds a secret anywhere (keys included) or is too deep to hand back whole. */
  #needsCopy(value: unknown, depth: number): boolean {
    if (typeof value === "string") return this.#secrets.some((secret) => value.includes(secret));
    if (!value || typeof value !== "object") return false;
    if (depth >= MAX_DEPTH) return true;
    if (Array.isArray(value)) return value.some((item) => this.#needsCopy(item, depth + 1));
    for (const [key, item] of Object.entries(value)) {
      if (this.#needsCopy(key, depth) || this.#needsCopy(item, depth + 1)) return true;
    }
    return false;
  }
}
