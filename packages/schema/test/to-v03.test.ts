import { describe, expect, it } from "vitest";
import {
  AgentCardSchema,
  StreamResponseSchema,
  TaskSchema,
  agentCardToV03,
  partToV03,
  pushConfigToV03,
  resultToV03,
  streamResponseToV03,
  taskToV03,
  type Task,
} from "../src/index.js";

const task: Task = {
  id: "t1",
  contextId: "c1",
  status: {
    state: "TASK_STATE_INPUT_REQUIRED",
    timestamp: "2024-01-01T00:00:00Z",
    message: { messageId: "m2", role: "ROLE_AGENT", parts: [{ text: "Which?" }], taskId: "t1", contextId: "c1" },
  },
  history: [{ messageId: "m1", role: "ROLE_USER", parts: [{ raw: "aGk=", filename: "a.txt", mediaType: "text/plain" }] }],
  artifacts: [{ artifactId: "a1", parts: [{ url: "https://x/y" }, { data: [1, 2] }, { data: { k: 1 } }] }],
};

describe("A2A 1.0 → 0.3 output forms", () => {
  it("gives the 0.3 Task: kind, lowercase state, roles, file and data parts", () => {
    const out = taskToV03(task);
    expect(out).toEqual({
      kind: "task",
      id: "t1",
      contextId: "c1",
      status: {
        state: "input-required",
        timestamp: "2024-01-01T00:00:00Z",
        message: { kind: "message", messageId: "m2", role: "agent", parts: [{ kind: "text", text: "Which?" }], taskId: "t1", contextId: "c1" },
      },
      history: [{ kind: "message", messageId: "m1", role: "user", parts: [{ kind: "file", file: { bytes: "aGk=", name: "a.txt", mimeType: "text/plain" } }] }],
      artifacts: [{ artifactId: "a1", parts: [{ kind: "file", file: { uri: "https://x/y" } }, { kind: "data", data: { value: [1, 2] } }, { kind: "data", data: { k: 1 } }] }],
    });
    // Read back by the 0.3 input normalisation, it is the same task.
    expect(TaskSchema.parse(out)).toEqual({ ...task, artifacts: [{ artifactId: "a1", parts: [{ url: "https://x/y" }, { data: { value: [1, 2] } }, { data: { k: 1 } }] }] });
  });

  it("tags stream events and marks the status update that ends a stream final", () => {
    const working = streamResponseToV03({ statusUpdate: { taskId: "t1", contextId: "c1", status: { state: "TASK_STATE_WORKING" } } });
    expect(working).toEqual({ kind: "status-update", taskId: "t1", contextId: "c1", status: { state: "working" }, final: false });
    const done = streamResponseToV03({ statusUpdate: { taskId: "t1", contextId: "c1", status: { state: "TASK_STATE_COMPLETED" } } });
    expect(done.final).toBe(true);
    const artifact = streamResponseToV03({ artifactUpdate: { taskId: "t1", contextId: "c1", artifact: { artifactId: "a", parts: [{ text: "x" }] }, append: true } });
    expect(artifact).toEqual({ kind: "artifact-update", taskId: "t1", contextId: "c1", artifact: { artifactId: "a", parts: [{ kind: "text", text: "x" }] }, append: true });
    expect(StreamResponseSchema.parse(artifact)).toEqual({ artifactUpdate: { taskId: "t1", contextId: "c1", artifact: { artifactId: "a", parts: [{ text: "x" }] }, append: true } });
  });

  it("gives the 0.3 result shapes per method", () => {
    expect(resultToV03("SendMessage", { task })).toMatchObject({ kind: "task", id: "t1" });
    const config = { id: "p", taskId: "t1", url: "https://h/x", authentication: { scheme: "Bearer", credentials: "c" } };
    expect(pushConfigToV03(config)).toEqual({ taskId: "t1", pushNotificationConfig: { id: "p", url: "https://h/x", authentication: { schemes: ["Bearer"], credentials: "c" } } });
    expect(resultToV03("ListTaskPushNotificationConfigs", { configs: [config], nextPageToken: "" })).toEqual([pushConfigToV03(config)]);
    expect(resultToV03("DeleteTaskPushNotificationConfig", {})).toBeNull();
    expect(partToV03({ text: "x", metadata: { a: 1 } })).toEqual({ kind: "text", text: "x", metadata: { a: 1 } });
  });

  it("gives a 0.3 card whose url is the interface serving 0.3, and reads back as the same interfaces", () => {
    const card = AgentCardSchema.parse({
      name: "A",
      description: "d",
      version: "1",
      supportedInterfaces: [
        { url: "mqtt://o/a", protocolBinding: "urn:a2a-mqtt:binding:mqtt:v1", protocolVersion: "1.0" },
        { url: "mqtt://o/a", protocolBinding: "urn:a2a-mqtt:binding:mqtt:v1", protocolVersion: "0.3" },
      ],
      capabilities: { streaming: true, extendedAgentCard: true },
      defaultInputModes: ["text/plain"],
      defaultOutputModes: ["text/plain"],
      skills: [{ id: "s", name: "S", description: "", tags: ["t"] }],
    });
    const out = agentCardToV03(card);
    expect(out).toMatchObject({ protocolVersion: "0.3.0", url: "mqtt://o/a", preferredTransport: "urn:a2a-mqtt:binding:mqtt:v1", supportsAuthenticatedExtendedCard: true });
    expect(out).not.toHaveProperty("additionalInterfaces");
    expect(out).not.toHaveProperty("supportedInterfaces");
  });
});
