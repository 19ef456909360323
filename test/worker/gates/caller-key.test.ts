import { describe, expect, it, vi } from "vitest";
import { authenticateCaller, requireVendorAllowed } from "../../../src/worker/gates/caller-key.ts";
import type { CallerKey } from "../../../src/worker/env.ts";
import { Refusal } from "../../../src/worker/problem.ts";

const keys: CallerKey[] = [
  { id: "billing", key: "k".repeat(40), vendors: ["listmonk", "acton"] },
  { id: "billing-next", key: "n".repeat(48), vendors: ["listmonk", "acton"] },
  { id: "newsletter", key: "z".repeat(32), vendors: ["listmonk"] },
];
const withAuth = (authorization?: string) => new Request("https://txgate.test/v1/send/listmonk", { method: "POST", headers: authorization ? { authorization } : {} });
const refusal = async (run: Promise<unknown>) => ((await run.then(() => undefined, (error) => error)) as Refusal | undefined)?.problem;

describe("caller keys", () => {
  it("finds the caller of each key, so a rotated key and its successor both work", async () => {
    for (const key of keys) expect((await authenticateCaller(withAuth(`Bearer ${key.key}`), keys)).id).toBe(key.id);
  });

  it("compares every key in constant time (timingSafeEqual on equal-length digests)", async () => {
    const compare = vi.spyOn(crypto.subtle as SubtleCrypto & { timingSafeEqual(a: ArrayBuffer, b: ArrayBuffer): boolean }, "timingSafeEqual");
    await authenticateCaller(withAuth(`Bearer ${keys[0]!.key}`), keys);
    expect(compare).toHaveBeenCalledTimes(keys.length);
    for (const [a, b] of compare.mock.calls) expect([a.byteLength, b.byteLength]).toEqual([32, 32]);
    compare.mockRestore();
  });

  it.each([
    ["no header", undefined],
    ["another scheme", `Basic ${btoa("billing:" + "k".repeat(40))}`],
    ["a prefix of a key", `Bearer ${"k".repeat(39)}`],
    ["a key with one more character", `Bearer ${"k".repeat(41)}`],
    ["an empty bearer", "Bearer "],
  ])("refuses %s with 401 and a Bearer challenge", async (_name, authorization) => {
    const thrown = await authenticateCaller(withAuth(authorization), keys).catch((error: Refusal) => error);
    expect(thrown).toBeInstanceOf(Refusal);
    expect((thrown as Refusal).problem.kind).toBe("unauthenticated");
    expect((thrown as Refusal).headers["www-authenticate"]).toBe('Bearer realm="txgate"');
  });

  it("refuses everything when no keys are configured", async () => {
    expect(await refusal(authenticateCaller(withAuth(`Bearer ${"k".repeat(40)}`), undefined))).toMatchObject({ kind: "not_configured" });
  });

  it("limits each key to its vendors", () => {
    expect(() => requireVendorAllowed(keys[2]!, "listmonk")).not.toThrow();
    expect(() => requireVendorAllowed(keys[2]!, "acton")).toThrow(Refusal);
  });
});
