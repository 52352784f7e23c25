import { describe, expect, it } from "vitest";
import { dataOf, messageOf, partsOf, stateOf, taskOf, textOf, userMessage, type Task } from "../src/index.js";
import { toSendParams } from "../src/messages.js";

const task: Task = {
  id: "t1",
  contextId: "c1",
  status: { state: "TASK_STATE_COMPLETED", message: { messageId: "m0", role: "ROLE_AGENT", parts: [{ text: "status text" }] } },
  artifacts: [
    { artifactId: "a1", parts: [{ text: "first" }, { data: { stock: 500 } }] },
    { artifactId: "a2", parts: [{ text: "second" }, { data: { other: true } }] },
  ],
};

describe("result helpers", () => {
  it("read a completed task's artifacts, wrapped or not", () => {
    expect(textOf({ task })).toBe("first\nsecond");
    expect(textOf(task)).toBe("first\nsecond");
    expect(dataOf<{ stock: number }>({ task })?.stock).toBe(500);
    expect(stateOf({ task })).toBe("TASK_STATE_COMPLETED");
    expect(taskOf({ task })?.id).toBe("t1");
    expect(partsOf({ task })).toHaveLength(4);
  });

  it("fall back to the status message when a task has no artifacts (e.g. an input-required question)", () => {
    const asking: Task = { ...task, artifacts: [], status: { ...task.status, state: "TASK_STATE_INPUT_REQUIRED" } };
    expect(textOf({ task: asking })).toBe("status text");
    expect(dataOf({ task: asking })).toBeUndefined();
  });

  it("read messages and stream events", () => {
    const message = { messageId: "m1", role: "ROLE_AGENT" as const, parts: [{ text: "hi" }, { data: [1, 2] }] };
    expect(textOf({ message })).toBe("hi");
    expect(dataOf({ message })).toEqual([1, 2]);
    expect(messageOf({ message })?.messageId).toBe("m1");
    expect(stateOf({ message })).toBeUndefined();
    expect(textOf({ artifactUpdate: { taskId: "t1", contextId: "c1", artifact: { artifactId: "a", parts: [{ text: "chunk" }] } } })).toBe("chunk");
    const update = { statusUpdate: { taskId: "t1", contextId: "c1", status: { state: "TASK_STATE_WORKING" as const } } };
    expect(stateOf(update)).toBe("TASK_STATE_WORKING");
    expect(textOf(update)).toBe("");
    expect(textOf(undefined)).toBe("");
  });
});

describe("userMessage", () => {
  it("builds a user message with a fresh id, text and data parts, task ids and the skill", () => {
    const m = userMessage({ text: "translate", data: { to: "fr" }, skill: "translate", taskId: "t1", contextId: "c1" });
    expect(m).toMatchObject({
      role: "ROLE_USER",
      parts: [{ text: "translate" }, { data: { to: "fr" } }],
      taskId: "t1",
      contextId: "c1",
      metadata: { skillId: "translate" },
    });
    expect(m.messageId).not.toBe(userMessage("x").messageId);
  });

  it("refuses a message without parts", () => {
    expect(() => userMessage({ skill: "x" })).toThrow(/at least one part/);
  });

  it("completes SendMessage params, keeping what the caller set", () => {
    const params = toSendParams({ message: { parts: [{ text: "a" }], messageId: "mine" }, configuration: { returnImmediately: true } });
    expect(params).toEqual({
      message: { parts: [{ text: "a" }], messageId: "mine", role: "ROLE_USER" },
      configuration: { returnImmediately: true },
    });
  });
});
