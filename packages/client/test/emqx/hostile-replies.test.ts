import { describe, expect, it } from "vitest";
import { EMQX_RETRY_DEFAULTS } from "@a2a/transport/binding";
import { Exchange, MAX_QUEUED_REPLIES, MAX_QUEUED_REPLY_BYTES } from "../../src/emqx/emqx-exchange.js";
import type { EmqxReply } from "../../src/emqx/emqx-reply.js";

/** An exchange whose in-flight table hands out the deliver function of each attempt. */
function exchange() {
  const delivers: ((reply: EmqxReply, bytes: number) => void)[] = [];
  const ex = new Exchange({
    target: "acme/plant1/echo",
    method: "SendStreamingMessage",
    policy: { ...EMQX_RETRY_DEFAULTS, firstReplyTimeoutMs: 5000, streamIdleTimeoutMs: 5000 },
    random: () => 0.5,
    table: { add: (_c, deliver) => (delivers.push(deliver), true), delete: () => undefined },
    publish: async () => ({}),
  });
  return { ex, deliver: (reply: EmqxReply, bytes = 10) => delivers[0]!(reply, bytes), ready: () => delivers.length > 0 };
}

const item = (n: number): EmqxReply => ({ result: { statusUpdate: { n } }, properties: {} });

async function started(ex: ReturnType<typeof exchange>) {
  const first = ex.ex.first();
  await expect.poll(ex.ready).toBe(true);
  ex.deliver(item(0));
  await first;
}

describe("an exchange flooded by its responder", () => {
  it("ends with OVERFLOW once more replies than the bound arrive unread", async () => {
    const ex = exchange();
    await started(ex);
    for (let i = 1; i <= MAX_QUEUED_REPLIES + 1; i++) ex.deliver(item(i));
    await expect(ex.ex.next()).rejects.toMatchObject({ code: "OVERFLOW" });
  });

  it("ends with OVERFLOW once the unread replies pass the byte bound", async () => {
    const ex = exchange();
    await started(ex);
    ex.deliver(item(1), MAX_QUEUED_REPLY_BYTES / 2);
    ex.deliver(item(2), MAX_QUEUED_REPLY_BYTES / 2 + 1);
    await expect(ex.ex.next()).rejects.toMatchObject({ code: "OVERFLOW" });
  });

  it("keeps a consumer that reads as fast as items come", async () => {
    const ex = exchange();
    await started(ex);
    for (let i = 1; i <= MAX_QUEUED_REPLIES + 10; i++) {
      ex.deliver(item(i), MAX_QUEUED_REPLY_BYTES / 4);
      await expect(ex.ex.next()).resolves.toMatchObject({ result: { statusUpdate: { n: i } } });
    }
  });
});
