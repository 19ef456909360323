/** The core types every vendor entry re-exports. */
export type {
  AbortedFailure,
  AuthFailure,
  Delivery,
  Failure,
  FailureKind,
  NetworkFailure,
  Outcome,
  RateLimited,
  Rejected,
  Sent,
  TimeoutFailure,
  ValidationFailure,
  ValidationIssue,
  VendorName,
  VendorServerError,
} from "./outcome.js";
export type { Attachment, AttachmentContent } from "./attachment.js";
export type { CallOptions, CommonClientOptions, LogEntry } from "./options.js";
export type { RetryPolicy } from "./retry.js";
