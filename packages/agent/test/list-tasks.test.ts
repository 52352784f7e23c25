import { afterEach, describe, expect, it } from "vitest";
import { deferred, harness, textMessage, type Harness } from "./helpers.js";
import type { ListTasksResult, Task } from "@a2a/schema";
import type { SentTask } from "./wire-types.js";


let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("ListTasks", () => {
  it("filters by context, state and status time; pages newest first without repeats; counts totalSize", async () => {
    const gate = deferred();
    h = await harness((a) => {
      a.skill({ id: "echo", handler: () => "done" });
      a.skill({ id: "wait", handler: async () => { await gate.promise; return "late"; } });
    });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await h.client.call("SendMessage", textMessage(`m${i}`, { contextId: i < 5 ? "line-1" : "line-2", metadata: { skillId: "echo" } }));
      ids.push((r.result as SentTask).task.id);
    }
    const running = await h.client.call("SendMessage", textMessage("w", { contextId: "line-1", metadata: { skillId: "wait" } }, { returnImmediately: true }));
    const runningId = (running.result as SentTask).task.id;

    // Paging through line-1 two at a time visits every task once, newest first.
    const seen: Task[] = [];
    let token = "";
    let pages = 0;
    do {
      const page = (await h.client.call("ListTasks", { contextId: "line-1", pageSize: 2, ...(token ? { pageToken: token } : {}) })).result as ListTasksResult;
      expect(page.totalSize).toBe(pages === 0 ? 6 : 7);
      expect(page.pageSize).toBe(2);
      seen.push(...page.tasks);
      token = page.nextPageToken;
      pages++;
      // A task arriving between pages is not seen in later pages and shifts nothing.
      if (pages === 1) await h.client.call("SendMessage", textMessage("new", { contextId: "line-1", metadata: { skillId: "echo" } }));
    } while (token !== "");
    expect(pages).toBe(3);
    expect(seen.map((t) => t.id)).toEqual([runningId, ...ids.slice(0, 5).reverse()]);
    const times = seen.map((t) => Date.parse(t.status.timestamp ?? ""));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const working = (await h.client.call("ListTasks", { status: "TASK_STATE_WORKING" })).result as ListTasksResult;
    expect(working.tasks.map((t) => t.id)).toEqual([runningId]);
    expect(working.nextPageToken).toBe("");

    const line2 = (await h.client.call("ListTasks", { contextId: "line-2" })).result as ListTasksResult;
    expect(line2.tasks.map((t) => t.id)).toEqual([ids[6], ids[5]]);

    const cut = ((await h.client.call("GetTask", { id: ids[5] })).result as Task).status.timestamp as string;
    const recent = (await h.client.call("ListTasks", { statusTimestampAfter: cut })).result as ListTasksResult;
    expect(recent.tasks.map((t) => t.id)).toContain(ids[5]);
    expect(recent.tasks.map((t) => t.id)).not.toContain(ids[0]);
    // The same instant written differently (no milliseconds) compares as an instant.
    const future = (await h.client.call("ListTasks", { statusTimestampAfter: "2999-01-01T00:00:00Z" })).result as ListTasksResult;
    expect(future).toEqual({ tasks: [], nextPageToken: "", pageSize: 50, totalSize: 0 });
    gate.resolve();
  });

  it("includes artifacts only with includeArtifacts and trims history to historyLength", async () => {
    h = await harness((a) => a.registerTool(function echo() { return "result"; }));
    await h.client.call("SendMessage", textMessage("one"));
    const plain = ((await h.client.call("ListTasks", {})).result as ListTasksResult).tasks[0]!;
    expect("artifacts" in plain).toBe(false);
    expect(plain.history).toHaveLength(1);
    const full = ((await h.client.call("ListTasks", { includeArtifacts: true, historyLength: 0 })).result as ListTasksResult).tasks[0]!;
    expect(full.artifacts?.[0]?.parts).toEqual([{ text: "result" }]);
    expect(full.history).toBeUndefined();
  });

  it("answers -32602 for pageSize outside 1..100 and for a pageToken it did not issue", async () => {
    h = await harness((a) => a.registerTool(function echo() { return "x"; }));
    for (const pageSize of [0, 101, 1.5, -1]) {
      const reply = await h.client.call("ListTasks", { pageSize });
      expect(reply.error?.code, String(pageSize)).toBe(-32602);
      expect(JSON.stringify(reply.error?.data)).toContain("params.pageSize");
    }
    for (const pageToken of ["nope", "eyJ4IjoxfQ", "5"]) {
      const reply = await h.client.call("ListTasks", { pageToken });
      expect(reply.error?.code, pageToken).toBe(-32602);
      expect(JSON.stringify(reply.error?.data)).toContain("params.pageToken");
    }
  });
});
