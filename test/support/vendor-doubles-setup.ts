/// <reference path="../worker/support/provided.d.ts" />
/**
 * Global set-up of the worker project: the four vendor doubles, started on Node at 127.0.0.1 so that code running
 * inside workerd can reach them (the runtime smoke test). Their addresses and test credentials are handed to
 * the tests with `provide`.
 */
import type { TestProject } from "vitest/node";
import { startActOnDouble, ACTON_ACCOUNT, ACTON_CREDENTIALS } from "../acton/double.ts";
import { startEverlyticDouble, EVERLYTIC_API_KEY, EVERLYTIC_USER } from "../everlytic/double.ts";
import { startExpertSenderDouble, EXPERTSENDER_API_KEY } from "../expertsender/double.ts";
import { startListmonkDouble, LISTMONK_TOKEN, LISTMONK_USER } from "../listmonk/double.ts";

export default async function setup(project: TestProject) {
  const [listmonk, acton, everlytic, expertsender] = await Promise.all([
    startListmonkDouble(),
    startActOnDouble(),
    startEverlyticDouble(),
    startExpertSenderDouble(),
  ]);
  project.provide("vendorDoubles", {
    listmonk: { url: listmonk.url, username: LISTMONK_USER, token: LISTMONK_TOKEN },
    acton: { url: acton.url, accountId: ACTON_ACCOUNT, credentials: ACTON_CREDENTIALS },
    everlytic: { url: everlytic.url, username: EVERLYTIC_USER, apiKey: EVERLYTIC_API_KEY },
    expertsender: { url: expertsender.url, apiKey: EXPERTSENDER_API_KEY },
  });
  return async () => {
    await Promise.all([listmonk.close(), acton.close(), everlytic.close(), expertsender.close()]);
  };
}
