import { expect } from "vitest";
import type { ConformanceRule, Reply } from "../adapter.js";
import { REQUIRED_EXTENSION, SKILLS } from "../agent-under-test.js";
import { expectError, message, resultOf, stream, withExtension } from "./helpers.js";

/** Every frame numbered 0, 1, 2, ... and the last, only the last, marked final. */
function expectFramed(frames: Reply[]): void {
  expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i));
  expect(frames.map((f) => f.final === true)).toEqual(frames.map((_, i) => i === frames.length - 1));
}

/** Rules of the MQTT binding (docs/binding.md) that a conformant peer relies on. */
export const bindingRules: ConformanceRule[] = [
  {
    id: "BIND-STREAM-001",
    section: "binding 5",
    text: "Each stream frame carries seq (0, 1, 2, ...) and the last one final: true",
    async run(a) {
      expectFramed(await stream(a, "SendStreamingMessage", message(SKILLS.steps)));
    },
  },
  {
    id: "BIND-STREAM-002",
    section: "binding 5, 4.4",
    text: "Every frame of a stream, error or not, follows section 5: errors of the pre-checks too (-32009, -32008, -32602, -32001)",
    async run(a) {
      const checks: Array<[number, Promise<Reply[]>]> = [
        [-32009, a.stream("SendStreamingMessage", message(SKILLS.echo), withExtension({ version: "9.9" }))],
        [-32008, a.stream("SubscribeToTask", { id: "x" })],
        [-32602, stream(a, "SendStreamingMessage", { message: { messageId: "m", role: "ROLE_USER", parts: [] } })],
        [-32602, stream(a, "SubscribeToTask", {})],
        [-32001, stream(a, "SubscribeToTask", { id: "no-such-task" })],
      ];
      for (const [code, pending] of checks) {
        const frames = await pending;
        expect(frames).toHaveLength(1);
        expectError(frames[0]!, code);
        expectFramed(frames);
      }
    },
  },
  {
    id: "BIND-DEDUP-001",
    section: "binding 4.5",
    text: "A repeat (same id, same method and params) is answered again; a reused id with other content is never answered with the other request's reply",
    async run(a) {
      const params = message(SKILLS.echo);
      const first = resultOf<{ task: { id: string } }>(await a.call("SendMessage", params, withExtension({ id: "dup" }))).task;
      const repeat = resultOf<{ task: { id: string } }>(await a.call("SendMessage", params, withExtension({ id: "dup" }))).task;
      expect(repeat.id).toBe(first.id);
      const other = await a.call("GetTask", { id: "no-such-task" }, withExtension({ id: "dup" }));
      expectError(other, -32001);
    },
  },
  {
    id: "BIND-RESUME-001",
    section: "binding 5.1",
    text: "Frames carry the task's event numbers; SubscribeToTask resuming after event N streams the events after N, once, in order",
    requires: "resumableStreams",
    async run(a) {
      const original = await stream(a, "SendStreamingMessage", message(SKILLS.steps));
      const numbers = original.map((f) => f.raw.eventSeq as number);
      expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
      const taskId = (original[0]!.result as { task: { id: string } }).task.id;
      const after = numbers[2]!;
      const resumed = await stream(a, "SubscribeToTask", { id: taskId, metadata: { "urn:a2a-mqtt:ext:resume:v1": { afterEventSeq: after } } });
      expect(resumed.map((f) => f.raw.eventSeq)).toEqual(numbers.slice(3));
      expect(resumed.map((f) => f.result)).toEqual(original.slice(3).map((f) => f.result));
      expectFramed(resumed);
    },
  },
  {
    id: "BIND-PARAMS-001",
    section: "binding 4.2",
    text: "A service parameter given more than once counts with all its values (names case-insensitive)",
    requires: "repeatedServiceParams",
    async run(a) {
      const version: [string, string] = ["A2A-Version", "1.0"];
      const twice = await a.callWithParams("GetTask", { id: "no-such-task" }, { serviceParams: [version, ["A2A-Extensions", "urn:other"], ["a2a-extensions", REQUIRED_EXTENSION]] });
      expectError(twice, -32001);
      const repeated = await a.callWithParams("GetTask", { id: "no-such-task" }, { serviceParams: [version, ["A2A-Extensions", "urn:other"], ["A2A-Extensions", REQUIRED_EXTENSION]] });
      expectError(repeated, -32001);
    },
  },
];
