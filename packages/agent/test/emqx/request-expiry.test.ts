import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { OperationContext, OperationHandlers } from "../../src/operation.js";
import { emqxHandlers } from "../../src/emqx/emqx-handlers.js";
import { EmqxRequests } from "../../src/emqx/emqx-requests.js";
import type { EmqxInboundRequest } from "../../src/emqx/emqx-options.js";

const request: EmqxInboundRequest = { topic: "t", userProperties: {}, receivedAt: 0, message: { topic: "t", payload: new Uint8Array(), qos: 1, retain: false, properties: {} } };

describe("a profile request with a far-off Message Expiry Interval", () => {
  it("waits for a task slot like one without expiry, not refused as at capacity or expired", async () => {
    const requests = new EmqxRequests();
    const route = { replyTopic: "$a2a/v1/reply/acme/plant1/client/r1", correlationData: new Uint8Array([1]) };
    // MQTT's largest Message Expiry Interval, 2^32-1 seconds: further off than any Node timer.
    requests.hold(route, { request, expiresAt: Date.now() + 4_294_967_295 * 1000 });
    const signals: AbortSignal[] = [];
    const services = {
      liveTask: () => undefined,
      findTask: async () => undefined,
      idTaken: async () => false,
      awaitFreeSlot: async (signal: AbortSignal) => void signals.push(signal),
    };
    const base = {
      SendMessage: { streaming: false, handle: async (_params: unknown, ctx: OperationContext) => ({ ran: ctx.newTaskId }) },
      SendStreamingMessage: { streaming: true, handle: async () => ({ events: [] }) },
    } as unknown as OperationHandlers;
    const handlers = emqxHandlers(base, requests);
    const send = handlers.SendMessage as unknown as { handle: (params: unknown, ctx: unknown) => Promise<unknown> };
    const taskId = randomUUID();
    const params = { message: { role: "ROLE_USER", messageId: "m1", taskId, parts: [{ text: "hi" }] } };
    await expect(send.handle(params, { services, route, serviceParams: {} })).resolves.toEqual({ ran: taskId });
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);
  });
});
