/**
 * Type-level tests of the delivery events users switch on, checked by `tsc -p tsconfig.test.json`: only a bounce
 * has a bounce kind, a parse result is events or a problem, and a traced client keeps its own type. Never run.
 */
import { expectTypeOf } from "vitest";
import { parseEverlyticEvents, type BounceKind, type DeliveryEvent, type EventBodyProblem } from "../../src/everlytic/index.ts";
import { createListmonkClient, type ListmonkClient } from "../../src/listmonk/index.ts";
import { createTxgateTracing } from "../../src/opentelemetry/index.ts";

declare const event: DeliveryEvent;
if (event.kind === "bounced") expectTypeOf(event.bounce).toEqualTypeOf<BounceKind | undefined>();
// @ts-expect-error: only a bounced event says which kind of bounce
void event.bounce;

const parsed = parseEverlyticEvents("{}", "application/json");
if ("problem" in parsed) expectTypeOf(parsed.problem).toEqualTypeOf<EventBodyProblem>();
else expectTypeOf(parsed.events).toEqualTypeOf<readonly DeliveryEvent[]>();

const tracing = createTxgateTracing();
expectTypeOf(tracing.client(createListmonkClient({ baseUrl: "https://lm.example", username: "u", token: "t" }))).toEqualTypeOf<ListmonkClient>();
