import { afterEach, describe, expect, it } from "vitest";
import { Webhook } from "../src/webhook.js";

let webhook: Webhook | undefined;
afterEach(async () => {
  await webhook?.close();
  webhook = undefined;
});

const completed = {
  statusUpdate: { taskId: "t-1", contextId: "c-1", status: { state: "TASK_STATE_COMPLETED", timestamp: "2025-01-01T00:00:00Z" } },
};

describe("the push webhook", () => {
  it("accepts a StreamResponse POST with its credentials and wakes a waiter", async () => {
    const refused: string[] = [];
    webhook = new Webhook({ onRefused: (r) => refused.push(r) });
    const url = await webhook.listen();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/a2a\/push$/);
    const waiting = webhook.waitFor((d) => "statusUpdate" in d.body, 5000);
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/a2a+json", authorization: "Bearer s3cret", "x-a2a-notification-token": "tok" },
      body: JSON.stringify(completed),
    });
    expect(res.status).toBe(204);
    const delivery = await waiting;
    expect(delivery.authorization).toBe("Bearer s3cret");
    expect(delivery.token).toBe("tok");
    expect(delivery.contentType).toBe("application/a2a+json");
    expect(refused).toEqual([]);
  });

  it("refuses what is not a StreamResponse, and a body over the limit", async () => {
    const refused: string[] = [];
    webhook = new Webhook({ onRefused: (r) => refused.push(r), maxBodyBytes: 1024 });
    const url = await webhook.listen();
    expect((await fetch(url, { method: "POST", body: "not json" })).status).toBe(400);
    expect((await fetch(url, { method: "POST", body: JSON.stringify({ task: { id: "x" } }) })).status).toBe(400);
    expect((await fetch(url, { method: "POST", body: "x".repeat(4096) }).catch(() => ({ status: 413 }))).status).toBe(413);
    expect((await fetch(url)).status).toBe(405);
    expect(webhook.deliveries).toEqual([]);
    expect(refused).toHaveLength(4);
  });

  it("rejects a waiter after its timeout", async () => {
    webhook = new Webhook();
    await webhook.listen();
    await expect(webhook.waitFor(() => true, 20)).rejects.toThrow(/No matching push notification .* within 20 ms/);
  });
});
