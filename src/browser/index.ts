/**
 * `txgate/browser`: call the worker's named actions from a page. No vendor code, no credential.
 */
export {
  createBrowserClient,
  type ActionFailed,
  type ActionInput,
  type ActionOutcome,
  type ActionQueued,
  type ActionSent,
  type ActionsShape,
  type BrowserClient,
  type BrowserClientOptions,
  type CancelInput,
  type CancelOutcome,
  type CancelRefused,
  type MessageCancelled,
  type MessageStatus,
  type MessageStatusOutcome,
} from "./client.ts";
export type { GateKind, Problem, ProblemKind } from "./problem.ts";
export type { Delivery, FailureKind, ValidationIssue } from "../core/public.ts";
