import { expect } from "vitest";
import type { ConformanceRule } from "../adapter.js";
import { SKILLS } from "../agent-under-test.js";
import { call, expectError, message, resultOf, withExtension } from "./helpers.js";

const ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";

/** Rules on versions, capabilities, errors and JSON-RPC (A2A sections 3.3, 3.6, 5, 9). */
export const protocolRules: ConformanceRule[] = [
  {
    id: "VER-001",
    section: "A2A 3.6.2",
    text: "If the version is not supported by the interface, agents MUST return a VersionNotSupportedError",
    async run(a) {
      expectError(await a.call("GetTask", { id: "x" }, withExtension({ version: "9.9" })), -32009);
    },
  },
  {
    id: "VER-002",
    section: "A2A 3.6",
    text: "Patch version numbers MUST not be considered when clients and servers negotiate protocol versions",
    async run(a) {
      expectError(await a.call("GetTask", { id: "no-such-task" }, withExtension({ version: "1.0.1" })), -32001);
    },
  },
  {
    id: "VER-003",
    section: "A2A 3.6.2",
    text: "Agents MUST interpret an empty version as 0.3 and MUST process the request with the semantics of 0.3 (0.3 names and shapes)",
    async run(a) {
      const params = { message: { kind: "message", messageId: `m-${Date.now()}`, role: "user", parts: [{ kind: "text", text: "hi" }], metadata: { skillId: SKILLS.echo } } };
      const task = resultOf<{ kind: string; id: string; status: { state: string } }>(await a.call("message/send", params, withExtension({ version: null })));
      expect(task.kind).toBe("task");
      expect(task.status.state).toBe("completed");
      const got = resultOf<{ kind: string; status: { state: string } }>(await a.call("tasks/get", { id: task.id }, withExtension({ version: null })));
      expect(got).toMatchObject({ kind: "task", status: { state: "completed" } });
    },
  },
  {
    id: "VER-004",
    section: "A2A 8.3.1, 3.6.2",
    text: "The Agent Card declares every protocol version the interface serves",
    async run(a) {
      const card = await a.card();
      const versions = (card.supportedInterfaces as Array<{ protocolVersion: string }>).map((i) => i.protocolVersion);
      expect(versions).toEqual(expect.arrayContaining(["1.0", "0.3"]));
    },
  },
  {
    id: "CAP-001",
    section: "A2A 3.3.4",
    text: "Push notification config operations without the capability MUST return PushNotificationNotSupportedError",
    async run(a) {
      expectError(await call(a, "ListTaskPushNotificationConfigs", { taskId: "x" }), -32003);
    },
  },
  {
    id: "CAP-002",
    section: "A2A 3.3.4",
    text: "Get Extended Agent Card without the capability MUST return UnsupportedOperationError",
    async run(a) {
      expectError(await call(a, "GetExtendedAgentCard", {}), -32004);
    },
  },
  {
    id: "CAP-003",
    section: "A2A 3.3.4",
    text: "A required extension the client does not declare MUST give ExtensionSupportRequiredError",
    async run(a) {
      expectError(await a.call("GetTask", { id: "x" }), -32008);
      expectError(await a.call("GetTask", { id: "x" }, { extensions: ["urn:other"] }), -32008);
      expectError(await call(a, "GetTask", { id: "x" }), -32001);
    },
  },
  {
    id: "ERR-001",
    section: "A2A 3.3.2, 5.4",
    text: "Error details MUST each include an @type; A2A errors map to their codes (ErrorInfo with the reason)",
    async run(a) {
      const reply = await call(a, "GetTask", { id: "no-such-task" });
      expectError(reply, -32001);
      const data = reply.error?.data as Array<Record<string, unknown>>;
      expect(Array.isArray(data)).toBe(true);
      for (const item of data) expect(typeof item["@type"]).toBe("string");
      expect(data.find((d) => d["@type"] === ERROR_INFO)).toMatchObject({ reason: "TASK_NOT_FOUND", domain: "a2a-protocol.org" });
    },
  },
  {
    id: "ERR-002",
    section: "A2A 3.3.2",
    text: "Servers MUST validate all input parameters before processing (-32602)",
    async run(a) {
      expectError(await call(a, "SendMessage", { message: { messageId: "m", role: "ROLE_USER", parts: [] } }), -32602);
      expectError(await call(a, "GetTask", {}), -32602);
    },
  },
  {
    id: "RPC-001",
    section: "A2A 9, JSON-RPC 2.0 §5",
    text: "The response id MUST be the request id, whatever its value (0, \"\", strings, numbers)",
    async run(a) {
      for (const id of [0, "", 42, "x-1"]) {
        const reply = await a.call("GetTask", { id: "no-such-task" }, withExtension({ id }));
        expect(reply.id).toBe(id);
        expect(reply.raw.jsonrpc).toBe("2.0");
      }
    },
  },
  {
    id: "RPC-002",
    section: "A2A 9, JSON-RPC 2.0 §5.1",
    text: "A request whose jsonrpc is not \"2.0\" is an Invalid Request (-32600); an unknown method is -32601, with or without params",
    requires: "rawPayloads",
    async run(a) {
      const bad = await a.sendRaw(JSON.stringify({ jsonrpc: "1.0", id: "v", method: "GetTask", params: { id: "x" } }));
      expect(bad.error?.code).toBe(-32600);
      expect(bad.id).toBe("v");
      expectError(await call(a, "NoSuchMethod"), -32601);
      expectError(await call(a, "NoSuchMethod", { x: 1 }), -32601);
    },
  },
  {
    id: "STREAM-ORDER-001",
    section: "A2A 3.5.2",
    text: "Events MUST be delivered in the order they were generated; each stream of a task MUST receive the same events in the same order",
    async run(a) {
      const started = resultOf<{ task: { id: string } }>(
        await call(a, "SendMessage", { ...message(SKILLS.wait), configuration: { returnImmediately: true } }),
      ).task;
      // Two subscribers of one task; once both have their first frame the task is canceled.
      let opened = 0;
      let canceled: Promise<unknown> | undefined;
      const onFrame = (frame: { seq?: number }) => {
        if (frame.seq === 0 && ++opened === 2) canceled = call(a, "CancelTask", { id: started.id }).then(resultOf);
      };
      const [one, two] = await Promise.all([
        a.stream("SubscribeToTask", { id: started.id }, withExtension({ onFrame })),
        a.stream("SubscribeToTask", { id: started.id }, withExtension({ onFrame })),
      ]);
      await canceled;
      const events = (frames: typeof one) => frames.slice(1).map((f) => JSON.stringify(f.result));
      expect(events(one).length).toBeGreaterThan(0);
      expect(events(one)).toEqual(events(two));
      const states = one.slice(1).map((f) => (f.result as { statusUpdate?: { status: { state: string } } }).statusUpdate?.status.state);
      expect(states.at(-1)).toBe("TASK_STATE_CANCELED");
    },
  },
];
