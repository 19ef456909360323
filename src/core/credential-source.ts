/**
 * Credentials with a lifecycle (OAuth tokens, renewed), as the transport uses them: one credential per send, and
 * after an answer that says it was refused, one new credential and one more try. A module of its own, so a vendor
 * whose credential is one header carries none of it.
 */
import { aborted } from "./deliver.ts";
import type { Authorize } from "./http-client.ts";
import type { CallOptions, ResolvedOptions } from "./options.ts";
import type { Failure, Outcome } from "./outcome.ts";
import type { Redactor } from "./redact.ts";

/** A credential for one send, from a `CredentialSource`. */
export interface Credential {
  readonly authorize: Authorize;
  /** The vendor refused it: the next credential must be a new one. */
  refuse(): void;
}

/** Where a vendor's credentials come from. */
export interface CredentialSource {
  /** A credential; a failure when none can be had (nothing sent); `undefined` when the caller aborted first. */
  next(call: CallOptions | undefined): Promise<Credential | Failure | undefined>;
  /** Whether `outcome` says the credential was refused, so a new one may help. */
  refusedBy(outcome: Outcome<unknown>): boolean;
}

/** What the transport hands a credential lifecycle: the send's options, and one delivery per credential. */
export interface AuthorizedSend<T> {
  readonly call: CallOptions | undefined;
  readonly options: ResolvedOptions;
  readonly redactor: Redactor;
  deliverWith(authorize: Authorize): Promise<Outcome<T>>;
}

/** A lifecycle the transport runs a send through, in place of one fixed `Authorize`. */
export interface CredentialLifecycle {
  send<T>(send: AuthorizedSend<T>): Promise<Outcome<T>>;
}

/**
 * Credentials from `source`, renewed once per send: a refused credential gets one new one and one more try; a
 * second refusal is the answer. Attempts add up across both tries.
 *
 * @example
 * authorization: renewedOnRefusal({ next: async () => ({ authorize: withHeader("Authorization", `Bearer ${await token()}`), refuse }), refusedBy: isRefusedToken }),
 */
export function renewedOnRefusal(source: CredentialSource): CredentialLifecycle {
  return {
    async send({ call, options, redactor, deliverWith }) {
      let attempts = 0;
      for (let pass = 1; ; pass++) {
        const credential = await source.next(call);
        if (credential === undefined) return aborted(options, attempts);
        if (!("authorize" in credential)) return { ...redactor.value(credential), attempts };
        const outcome = await deliverWith(credential.authorize);
        attempts += outcome.attempts;
        if (pass > 1 || !source.refusedBy(outcome)) return { ...outcome, attempts };
        credential.refuse();
      }
    },
  };
}
