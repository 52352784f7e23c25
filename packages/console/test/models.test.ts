import type { Message } from "@a2a/client";
import { describe, expect, it } from "vitest";
import { RequestRate } from "../src/request-rate.js";
import { MAX_ENDED_TASKS, MAX_EVENTS_PER_TASK, TasksModel, isEnded } from "../src/tasks-model.js";

const message: Message = { messageId: "m1", role: "ROLE_USER", parts: [{ text: "go" }] };
const status = (state: "TASK_STATE_WORKING" | "TASK_STATE_COMPLETED", text?: string) => ({
  statusUpdate: { taskId: "task-1", contextId: "ctx-1", status: { state, ...(text ? { message: { messageId: "s", role: "ROLE_AGENT" as const, parts: [{ text }] } } : {}) } },
});

describe("the console's task model", () => {
  it("records state changes once each and keeps a long task's events in bounded memory", () => {
    const tasks = new TasksModel();
    const entry = tasks.create({ agentId: "lab/burst", skill: "burst", message }, 0);
    tasks.apply(entry, { task: { id: "task-1", contextId: "ctx-1", status: { state: "TASK_STATE_SUBMITTED" } } }, 1);
    for (let i = 0; i < MAX_EVENTS_PER_TASK + 5_000; i++) tasks.apply(entry, status("TASK_STATE_WORKING", `tick ${i}`), 2);
    tasks.apply(entry, status("TASK_STATE_COMPLETED"), 3);
    expect(entry.taskId).toBe("task-1");
    expect(entry.transitions.map((t) => t.state)).toEqual(["TASK_STATE_SUBMITTED", "TASK_STATE_WORKING", "TASK_STATE_COMPLETED"]);
    expect(entry.events.length).toBeLessThanOrEqual(MAX_EVENTS_PER_TASK);
    // Numbering counts every event, also the dropped ones.
    expect(entry.dropped + entry.events.length).toBe(MAX_EVENTS_PER_TASK + 5_003);
    expect(entry.events.at(-1)?.n).toBe(MAX_EVENTS_PER_TASK + 5_003);
    expect(isEnded(entry)).toBe(true);
  });

  it("appends artifact chunks and forgets the oldest ended tasks", () => {
    const tasks = new TasksModel();
    const entry = tasks.create({ agentId: "acme/a", skill: undefined, message });
    const chunk = (text: string, append: boolean) => ({ artifactUpdate: { taskId: "t", contextId: "c", append, artifact: { artifactId: "a1", parts: [{ text }] } } });
    tasks.apply(entry, chunk("one", false));
    tasks.apply(entry, chunk("two", true));
    expect(entry.artifacts.get("a1")?.parts).toEqual([{ text: "one" }, { text: "two" }]);
    for (let i = 0; i < MAX_ENDED_TASKS + 20; i++) {
      const ended = tasks.create({ agentId: "acme/a", skill: undefined, message });
      tasks.apply(ended, { message: { messageId: `r${i}`, role: "ROLE_AGENT", parts: [{ text: "done" }] } });
    }
    tasks.create({ agentId: "acme/a", skill: undefined, message });
    expect(tasks.list().filter(isEnded).length).toBeLessThanOrEqual(MAX_ENDED_TASKS);
    expect(tasks.get(entry.key)).toBe(entry); // still in flight: never forgotten
  });
});

describe("the per-agent request rate", () => {
  it("counts the requests of the last minute only", () => {
    const rate = new RequestRate();
    for (let i = 0; i < 5; i++) rate.record("acme/a", 1_000 + i * 100);
    rate.record("acme/a", 30_000);
    expect(rate.perMinute("acme/a", 31_000)).toBe(6);
    expect(rate.perMinute("acme/a", 65_000)).toBe(1);
    expect(rate.perMinute("acme/a", 200_000)).toBe(0);
    expect(rate.perMinute("acme/other", 31_000)).toBe(0);
  });
});
