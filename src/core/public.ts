/** The core types every vendor entry re-exports. */
export type {
  AbortedFailure,
  AuthFailure,
  Delivery,
  Failure,
  FailureKind,
  IdempotencyInFlight,
  IdempotencyKeyReused,
  NetworkFailure,
  Outcome,
  RateLimited,
  Rejected,
  Sent,
  TimeoutFailure,
  TokenStoreFailure,
  ValidationFailure,
  ValidationIssue,
  VendorName,
  VendorServerError,
} from "./outcome.ts";
export type { Attachment, AttachmentContent } from "./attachment.ts";
export type { CallOptions, CommonClientOptions, LogEntry } from "./options.ts";
export type { RetryPolicy } from "./retry.ts";
export type { Claim, IdempotencyLedger, LedgerEntry } from "./idempotency.ts";
export type { SendManyItem, SendManyOptions, SendManyOutcome } from "./send-many.ts";
export type { BounceKind, BouncedEvent, DeliveryEvent, DeliveryEventKind, EventBodyProblem, EventDetail, OtherDeliveryEvent, ParsedEvents } from "./delivery-event.ts";
export type { MessageIdCarrier } from "./capabilities.ts";
export type {
  CheckCallOptions,
  CredentialCheck,
  CredentialCheckFailed,
  CredentialCheckSkipped,
  CredentialCheckUnsupported,
  CredentialsAccepted,
  CredentialsRefused,
} from "./credential-check.ts";
