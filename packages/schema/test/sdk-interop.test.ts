// Wire equality with the official SDK (@a2a-js/sdk, ts-proto types with ProtoJSON
// fromJSON/toJSON): what it writes, we read as the same value; what we write, it reads
// back to an equal object.
import * as sdk from "@a2a-js/sdk";
import { describe, expect, test } from "vitest";
import {
  AgentCardSchema,
  ListTasksResultSchema,
  MessageSchema,
  SendMessageParamsSchema,
  SendMessageResultSchema,
  StreamResponseSchema,
  TaskPushNotificationConfigSchema,
  TaskSchema,
  parseWireOrThrow,
} from "@a2a/schema";
import * as spec from "./fixtures/spec-examples.js";

type Fns = { fromJSON(o: unknown): unknown; toJSON(m: never): unknown };
type Schema = Parameters<typeof parseWireOrThrow>[0];

const sendRequest = spec.requests.find((r) => r.method === "SendMessage")!.params;

const cases: [name: string, fns: Fns, schema: Schema, ours: unknown][] = [
  ["Message", sdk.Message, MessageSchema, spec.userMessage],
  ["Message with every part kind", sdk.Message, MessageSchema, {
    messageId: "m-9",
    role: "ROLE_AGENT",
    contextId: "c",
    taskId: "t",
    referenceTaskIds: ["t0"],
    parts: [
      { text: "hi", metadata: { lang: "en" } },
      { raw: "aGVsbG8gd29ybGQ=", filename: "h.txt", mediaType: "text/plain" },
      { url: "https://x.test/doc.pdf", mediaType: "application/pdf" },
      { data: { nested: { list: [1, "two", true, null] } } },
      { data: [1, 2] },
      { data: "a string" },
    ],
  }],
  ["Task", sdk.Task, TaskSchema, spec.completedTask],
  ["AgentCard", sdk.AgentCard, AgentCardSchema, spec.sampleAgentCard],
  ...spec.streamEvents.map((e, i): [string, Fns, Schema, unknown] => [`StreamResponse ${i}`, sdk.StreamResponse, StreamResponseSchema, e]),
  ["SendMessageResponse task", sdk.SendMessageResponse, SendMessageResultSchema, { task: spec.completedTask }],
  ["SendMessageResponse message", sdk.SendMessageResponse, SendMessageResultSchema, { message: spec.userMessage }],
  ["SendMessageRequest", sdk.SendMessageRequest, SendMessageParamsSchema, sendRequest],
  ["TaskPushNotificationConfig", sdk.TaskPushNotificationConfig, TaskPushNotificationConfigSchema, {
    id: "cfg-1",
    taskId: "t",
    url: "https://client.example.com/hook",
    token: "tok",
    authentication: { scheme: "Bearer", credentials: "secret" },
  }],
  ["ListTasksResponse", sdk.ListTasksResponse, ListTasksResultSchema, {
    tasks: [spec.completedTask, { id: "t2", contextId: "c2", status: { state: "TASK_STATE_WORKING" } }],
    nextPageToken: "next",
    pageSize: 2,
    totalSize: 7,
  }],
];

describe("wire equality with @a2a-js/sdk", () => {
  test.for(cases)("%s: the SDK's JSON validates and equals ours", ([_name, fns, schema, ours]) => {
    const parsed = parseWireOrThrow(schema, ours);
    const sdkJson = JSON.parse(JSON.stringify(fns.toJSON(fns.fromJSON(parsed) as never))) as unknown;
    expect(parseWireOrThrow(schema, sdkJson)).toEqual(parsed);
    expect(sdkJson).toEqual(parsed);
  });

  test.for(cases)("%s: ours reads back in the SDK to an equal object", ([_name, fns, schema, ours]) => {
    const parsed = parseWireOrThrow(schema, ours);
    const viaOurs = fns.fromJSON(JSON.parse(JSON.stringify(parsed)));
    const viaSdk = fns.fromJSON(fns.toJSON(fns.fromJSON(ours) as never));
    expect(viaOurs).toEqual(viaSdk);
  });

  test("the SDK's enum values are our strings", () => {
    for (const state of ["TASK_STATE_SUBMITTED", "TASK_STATE_COMPLETED", "TASK_STATE_INPUT_REQUIRED", "TASK_STATE_AUTH_REQUIRED"]) {
      expect(sdk.taskStateToJSON(sdk.taskStateFromJSON(state))).toBe(state);
    }
    expect(sdk.roleToJSON(sdk.Role.ROLE_AGENT)).toBe("ROLE_AGENT");
  });

  test("an object built natively with the SDK validates", () => {
    const task = sdk.Task.fromJSON({});
    task.id = "native-1";
    task.contextId = "ctx";
    task.status = { state: sdk.TaskState.TASK_STATE_WORKING, message: undefined, timestamp: "2026-01-01T00:00:00Z" };
    task.artifacts.push({
      artifactId: "a",
      name: "",
      description: "",
      parts: [{ content: { $case: "data", value: { ok: true } }, filename: "", mediaType: "application/json", metadata: undefined }],
      metadata: undefined,
      extensions: [],
    });
    const json = sdk.Task.toJSON(task);
    expect(parseWireOrThrow(TaskSchema, json)).toEqual({
      id: "native-1",
      contextId: "ctx",
      status: { state: "TASK_STATE_WORKING", timestamp: "2026-01-01T00:00:00Z" },
      artifacts: [{ artifactId: "a", parts: [{ data: { ok: true }, mediaType: "application/json" }] }],
    });
  });
});
