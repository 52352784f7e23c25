import { describe, expect, it } from "vitest";
import { RESULT_PARSERS, parseStreamResponse } from "../src/result-parsers.js";

const task = {
  id: "t-1",
  contextId: "c-1",
  status: { state: "TASK_STATE_COMPLETED", timestamp: "2026-01-01T00:00:00.000Z" },
  artifacts: [{ artifactId: "a-1", parts: [{ text: "out" }] }],
};

describe("result checks", () => {
  it("hand back a plain 1.0 result as it was parsed, without copying it", () => {
    const result = JSON.parse(JSON.stringify({ task })) as unknown;
    const parsed = RESULT_PARSERS.SendMessage(result);
    expect(parsed).toEqual({ success: true, data: result });
    expect(parsed.success && parsed.data).toBe(result);
    const event = JSON.parse(JSON.stringify({ statusUpdate: { taskId: "t-1", contextId: "c-1", status: { state: "TASK_STATE_WORKING" } } })) as unknown;
    expect(parseStreamResponse(event).success && (parseStreamResponse(event) as { data: unknown }).data).toBe(event);
  });

  it("still drop what the schema does not know, and refuse what it rejects", () => {
    const parsed = RESULT_PARSERS.SendMessage({ task: { ...task, unknownKey: 1, status: { ...task.status, extra: true } } });
    expect(parsed).toEqual({ success: true, data: { task } });
    expect(RESULT_PARSERS.SendMessage({ task: { ...task, status: { state: "TASK_STATE_NOPE" } } }).success).toBe(false);
  });
});
