/**
 * A client's `sendMessage`: the common message converted by the vendor's converter, then sent by the native `send`.
 * Kept apart from core/message.ts so that a client holds only this, and loads the rest when first used.
 */
import { invalid, notLoaded } from "./deliver.ts";
import { loadOnce } from "./load-once.ts";
import type { MessageConverter, TemplateMessage } from "./message.ts";
import type { CallOptions } from "./options.ts";
import type { Outcome, VendorName } from "./outcome.ts";
import type { Redactor } from "./redact.ts";

/**
 * Builds a client's `sendMessage`: convert, then the native `send` (so every native rule still applies), with
 * validation issues of the native message renamed to the common message's paths. The converter loads on the first
 * `sendMessage`, so a bundle that only uses `send` does not carry it up front, and is kept: later calls do not
 * import it again.
 *
 * @example
 * const sendMessage = templateMessageSender("acme", async () => (await import("./message-converter.ts")).toAcmeMessage, send, redactor);
 */
export function templateMessageSender<N, T>(
  vendor: VendorName,
  loadConverter: () => Promise<MessageConverter<N>>,
  send: (message: N, call?: CallOptions) => Promise<Outcome<T>>,
  redactor: Redactor,
): (message: TemplateMessage, call?: CallOptions) => Promise<Outcome<T>> {
  const converter = loadOnce(loadConverter);
  return async (message, call) => {
    let convert: MessageConverter<N>;
    try {
      convert = await converter();
    } catch (error) {
      return notLoaded(vendor, "message converter", error);
    }
    const converted = convert(message);
    if (!converted.success) return invalid(vendor, converted.issues, redactor);
    const outcome = await send(converted.output.native, call);
    if (outcome.kind !== "validation") return outcome;
    const issues = outcome.issues.map((issue) => ({ ...issue, path: commonPath(issue.path, converted.output.origins) }));
    return invalid(vendor, issues, redactor);
  };
}

function commonPath(path: string, origins: readonly (readonly [string, string])[]): string {
  for (const [native, common] of origins) {
    if (path === native) return common;
    if (path.startsWith(`${native}.`) || path.startsWith(`${native}[`)) return common + path.slice(native.length);
  }
  return path;
}
