import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "@a2a/testing";
import { harness, textMessage, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

for (const protocolVersion of [4, 5] as const) {
  describe(`de-duplication by request digest (MQTT ${protocolVersion === 4 ? "3.1.1" : "5"})`, () => {
    it("answers a repeat (same id, method and params) from memory without running it again", async () => {
      let runs = 0;
      h = await harness((agent) => agent.registerTool(function echo() {
        runs++;
        return "ok";
      }), { protocolVersion });
      const params = textMessage("hi");
      const first = await h.client.call("SendMessage", params, { id: "dup" });
      const again = await h.client.send("SendMessage", params, { id: "dup" });
      const replies = await waitForCount(h, again, 2);
      expect(replies[1]!.result).toEqual(first.result);
      expect(runs).toBe(1);
    });

    it("never answers a reused id with another request's reply: the new request is executed", async () => {
      h = await harness((agent) => agent.registerTool(function echo() {
        return "ok";
      }), { protocolVersion });
      const sent = await h.client.call("SendMessage", textMessage("hi"), { id: "dup" });
      const taskId = (sent.result as { task: { id: string } }).task.id;
      const id = await h.client.send("GetTask", { id: "no-such-task" }, { id: "dup" });
      const [, other] = await waitForCount(h, id, 2);
      expect(other!.error?.code).toBe(-32001);
      // The same id once more, for the task itself: answered for this request.
      const id3 = await h.client.send("GetTask", { id: taskId, historyLength: 0 }, { id: "dup" });
      const [, , third] = await waitForCount(h, id3, 3);
      expect((third!.result as { id: string }).id).toBe(taskId);
    });
  });
}

describe("de-duplication by payload", () => {
  it("answers a repeat of the same bytes from memory, and executes the same params serialised otherwise", async () => {
    let runs = 0;
    h = await harness((agent) => agent.registerTool(function echo() {
      runs++;
      return "ok";
    }));
    const sent = await h.client.call("SendMessage", textMessage("hi"), { id: "first" });
    const taskId = (sent.result as { task: { id: string } }).task.id;
    const first = await h.client.call("GetTask", { id: taskId, historyLength: 0 }, { id: "dup" });
    // The same bytes once more: the remembered reply, the same as the first.
    const again = await h.client.send("GetTask", { id: taskId, historyLength: 0 }, { id: "dup" });
    const replies = await waitForCount(h, again, 2);
    expect(replies[1]!.result).toEqual(first.result);
    // The same params in another key order: another request under a reused id, executed.
    const reordered = await h.client.send("GetTask", { historyLength: 1, id: taskId }, { id: "dup" });
    const [, , third] = await waitForCount(h, reordered, 3);
    expect((third!.result as { history?: unknown[] }).history).toHaveLength(1);
    expect(runs).toBe(1);
  });
});

describe("de-duplication of SendMessage by message id", () => {
  it("keeps one entry per SendMessage: as many messages as dedupMaxEntries are answered again, each under the same or a new id", async () => {
    let runs = 0;
    h = await harness((agent) => agent.registerTool(function echo() {
      runs++;
      return "ok";
    }), { dedupMaxEntries: 2 });
    const first = textMessage("one");
    const second = textMessage("two");
    const a = await h.client.call("SendMessage", first, { id: "a" });
    const b = await h.client.call("SendMessage", second, { id: "b" });
    // The same request again, and the same message under a new id: both from memory.
    const again = await h.client.send("SendMessage", first, { id: "a" });
    const [, replayed] = await waitForCount(h, again, 2);
    expect(replayed!.result).toEqual(a.result);
    const renamed = await h.client.call("SendMessage", second, { id: "b2" });
    expect(renamed.result).toEqual(b.result);
    expect(runs).toBe(2);
    // A third message pushes the oldest remembered one out: it runs again.
    await h.client.call("SendMessage", textMessage("three"), { id: "c" });
    await h.client.call("SendMessage", first, { id: "a3" });
    expect(runs).toBe(4);
  });
});

function waitForCount(h: Harness, id: unknown, count: number) {
  return waitFor(() => {
    const replies = h.client.repliesFor(id as string);
    return replies.length >= count ? replies : undefined;
  }, { message: `${count} replies to ${String(id)}` });
}
