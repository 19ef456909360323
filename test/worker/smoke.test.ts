import { SELF } from "cloudflare:test";
import { expect, it } from "vitest";

it("answers", async () => {
  const response = await SELF.fetch("http://txgate.test/");
  expect(response.status).toBe(200);
});
