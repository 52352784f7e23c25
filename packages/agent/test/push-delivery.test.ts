import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "@a2a/testing";
import { PushNotifier } from "@a2a/agent";
import { DeliveryQueue, type AttemptResult } from "../src/push/delivery-queue.js";
import { WebhookPoster, POLICY_ERROR_CODE } from "../src/push/webhook-post.js";
import { startWebhookServer } from "./webhook-server.js";
import { deferred } from "./helpers.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const status = (state: string) => ({ statusUpdate: { taskId: "t1", contextId: "c1", status: { state } } }) as never;

describe("DeliveryQueue", () => {
  it("delivers in order, one at a time, dropping the oldest waiting body when full", async () => {
    const errors: unknown[] = [];
    const gate = deferred();
    const delivered: string[] = [];
    let inFlight = 0;
    const queue = new DeliveryQueue({
      describe: "test",
      maxQueued: 2,
      maxAttempts: 1,
      baseDelayMs: 1,
      maxDelayMs: 1,
      onError: (e) => errors.push(e),
      attempt: async (body): Promise<AttemptResult> => {
        inFlight++;
        expect(inFlight).toBe(1);
        if (body === "1") await gate.promise;
        delivered.push(body);
        inFlight--;
        return { ok: true };
      },
    });
    for (const body of ["1", "2", "3", "4", "5"]) queue.push(body);
    gate.resolve();
    await waitFor(() => delivered.length === 3 || undefined);
    await queue.idle();
    expect(delivered).toEqual(["1", "4", "5"]);
    expect(errors.map(String)).toEqual([expect.stringContaining("dropped the oldest"), expect.stringContaining("dropped the oldest")]);
  });

  it("gives up on a body after maxAttempts with growing delays, then sends the next", async () => {
    const errors: unknown[] = [];
    const attempts: { body: string; at: number }[] = [];
    const queue = new DeliveryQueue({
      describe: "test",
      maxQueued: 10,
      maxAttempts: 3,
      baseDelayMs: 20,
      maxDelayMs: 1000,
      random: () => 1,
      onError: (e) => errors.push(e),
      attempt: async (body): Promise<AttemptResult> => {
        attempts.push({ body, at: performance.now() });
        return body === "bad" ? { ok: false, retry: true, error: new Error("HTTP 503") } : { ok: true };
      },
    });
    queue.push("bad");
    queue.push("good");
    await waitFor(() => attempts.some((a) => a.body === "good") || undefined);
    expect(attempts.map((a) => a.body)).toEqual(["bad", "bad", "bad", "good"]);
    // Delays of 20 and 40 ms (random() = 1 means the full exponential delay).
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(19);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(39);
    expect(String(errors[0])).toContain("failed after 3 attempts: HTTP 503");
  });
});

describe("WebhookPoster", () => {
  it("refuses a host name that resolves to loopback unless loopback is allowed", async () => {
    const hooks = await startWebhookServer();
    cleanups.push(() => hooks.close());
    const port = new URL(hooks.url).port;
    const strict = new WebhookPoster({ allowLoopback: false, allowPrivateNetworks: true });
    const lenient = new WebhookPoster({ allowLoopback: true, allowPrivateNetworks: false });
    cleanups.push(() => strict.close(), () => lenient.close());
    const signal = new AbortController().signal;
    const refused = await strict.post({ url: new URL(`http://localhost:${port}/x`), body: "{}", headers: {}, timeoutMs: 2000, signal });
    expect("error" in refused && (refused.error as { code?: string }).code).toBe(POLICY_ERROR_CODE);
    expect(hooks.received).toHaveLength(0);
    expect(await lenient.post({ url: new URL(`http://localhost:${port}/x`), body: "{}", headers: {}, timeoutMs: 2000, signal })).toEqual({ status: 200 });
    expect(hooks.received).toHaveLength(1);
  });

  it("ends a request that outlives its timeout", async () => {
    const hooks = await startWebhookServer(() => "hang");
    cleanups.push(() => hooks.close());
    const poster = new WebhookPoster({ allowLoopback: true, allowPrivateNetworks: false });
    cleanups.push(() => poster.close());
    const outcome = await poster.post({ url: new URL(`${hooks.url}/slow`), body: "{}", headers: {}, timeoutMs: 100, signal: new AbortController().signal });
    expect("error" in outcome && outcome.error.message).toContain("did not answer within 100 ms");
  });
});

describe("PushNotifier", () => {
  it("forgets a task's configs and queues once its last notification is delivered", async () => {
    const hooks = await startWebhookServer();
    cleanups.push(() => hooks.close());
    const notifier = new PushNotifier({ allowLoopback: true, onError: (e) => { throw e; } });
    cleanups.push(() => notifier.close(0));
    notifier.create("t1", { url: `${hooks.url}/a` });
    notifier.create("t1", { url: `${hooks.url}/b` });
    notifier.notify("t1", status("TASK_STATE_WORKING"));
    expect(notifier.queueCount).toBe(2);
    notifier.notify("t1", status("TASK_STATE_COMPLETED"));
    expect(notifier.size).toBe(0);
    await waitFor(() => notifier.queueCount === 0 || undefined, { message: "queues to be forgotten" });
    expect(hooks.at("/a").map((h) => (h.body as { statusUpdate: { status: { state: string } } }).statusUpdate.status.state)).toEqual(["TASK_STATE_WORKING", "TASK_STATE_COMPLETED"]);
    expect(hooks.at("/b")).toHaveLength(2);
  });
});
