import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { AgentCardSchema, SendMessageParamsSchema, SendMessageResultSchema, StreamResponseSchema, TaskSchema, fastCheck, fastParse } from "@a2a/schema";
import { seededRandom } from "@a2a/testing";

// The fast path must agree with zod wherever it answers: same output (keys in the
// same order), and never an answer where zod reports an error.

const message = {
  messageId: "m-1",
  role: "ROLE_USER",
  parts: [{ text: "hi" }, { data: { a: [1, 2] }, mediaType: "application/json" }, { raw: "aGk=", filename: "h.txt" }, { url: "https://x.test/f" }],
  contextId: "c-1",
  metadata: { skillId: "echo", n: 1 },
  extensions: ["urn:x"],
  referenceTaskIds: ["t-0"],
};
const task = {
  id: "t-1",
  contextId: "c-1",
  status: { state: "TASK_STATE_COMPLETED", timestamp: "2024-02-29T12:00:00.123Z", message: { ...message, role: "ROLE_AGENT", messageId: "m-2" } },
  artifacts: [{ artifactId: "a-1", name: "result", parts: [{ text: "out" }], description: "d", metadata: { k: "v" }, extensions: [] }],
  history: [message],
  metadata: { x: null },
};
const card = {
  protocolVersion: "1.0",
  name: "Agent a",
  description: "Echoes.",
  url: "mqtt://org/a",
  preferredTransport: "MQTT",
  supportedInterfaces: [{ url: "mqtt://org/a", protocolBinding: "urn:a2a-mqtt:binding:mqtt:v1", protocolVersion: "1.0", tenant: "t" }],
  provider: { url: "https://org.test", organization: "Org" },
  version: "1.0.0",
  documentationUrl: "https://org.test/doc",
  iconUrl: "",
  capabilities: {
    streaming: true,
    pushNotifications: false,
    extendedAgentCard: false,
    extensions: [{ uri: "urn:a2a-mqtt:ext:presence:v1", description: "", required: false, params: { status: "online", since: "2025-01-01T00:00:00.000Z" } }],
  },
  defaultInputModes: ["text/plain", "application/json"],
  defaultOutputModes: ["text/plain"],
  skills: [{ id: "echo", name: "Echo", description: "Echoes.", tags: ["echo"], examples: ["hi"], inputModes: [], outputModes: ["text/plain"] }],
  signatures: [{ protected: "eyJhbGciOiJFUzI1NiJ9", signature: "c2ln", header: { kid: "k" } }],
};
const BASES: Array<[string, z.ZodType, unknown]> = [
  ["AgentCard", AgentCardSchema, card],
  ["SendMessageParams", SendMessageParamsSchema, { message, configuration: { acceptedOutputModes: ["text/plain"], historyLength: 2, returnImmediately: false }, metadata: { m: 1 }, tenant: "" }],
  ["SendMessageResult task", SendMessageResultSchema, { task }],
  ["SendMessageResult message", SendMessageResultSchema, { message }],
  ["StreamResponse task", StreamResponseSchema, { task }],
  ["StreamResponse status", StreamResponseSchema, { statusUpdate: { taskId: "t-1", contextId: "c-1", status: { state: "TASK_STATE_WORKING", timestamp: "2024-01-01T00:00:00Z" }, metadata: {} } }],
  ["StreamResponse artifact", StreamResponseSchema, { artifactUpdate: { taskId: "t-1", contextId: "c-1", artifact: task.artifacts[0], append: true, lastChunk: false } }],
  ["Task", TaskSchema, task],
];

const ODD_VALUES: unknown[] = [
  undefined, null, 0, -1, 1.5, 2 ** 60, true, false, "", "x", "user", "agent", "ROLE_AGENT", "TASK_STATE_WORKING", "completed",
  "TASK_STATE_NOPE", "a\u0000b", "é".repeat(300), "x".repeat(257), "x".repeat(256), "not base64!", "aGk", "a", "relative/url",
  "https://ok.test", "2024-02-30T00:00:00Z", "2024-01-01T00:00:00+01:00", "2024-01-01T24:00:00Z", "2023-02-29T00:00:00Z",
  "2024-01-01T00:00:00.5Z", [], [1], ["s"], [""], {}, { text: "p" }, { kind: "text", text: "p" }, { file: { uri: "https://f.test" } },
  { text: "a", data: 1 }, { data: undefined }, { data: null },
];
const ODD_KEYS = [
  "kind", "final", "blocking", "pushNotificationConfig", "taskPushNotificationConfig", "unknownKey", "__proto__", "text", "data", "message", "task",
  // Agent Card keys that zod's preprocessing rewrites (0.3 forms) or that the fast path leaves to it.
  "security", "securityRequirements", "securitySchemes", "supportsExtendedAgentCard", "supportsAuthenticatedExtendedCard",
  "additionalInterfaces", "supportedInterfaces", "extendedAgentCard", "tags", "url",
];

type Json = Record<string, unknown> | unknown[];

/** A copy of `value` with one random change somewhere inside it. */
function mutate(value: unknown, rnd: () => number): unknown {
  const copy = structuredClone(value) as Json;
  const containers: Json[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "object" && v !== null) {
      containers.push(v as Json);
      for (const child of Object.values(v)) walk(child);
    }
  };
  walk(copy);
  const target = containers[Math.floor(rnd() * containers.length)]!;
  const keys = Object.keys(target);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const action = rnd();
  if (Array.isArray(target)) {
    if (action < 0.3) target.splice(Math.floor(rnd() * (target.length + 1)), 1);
    else if (action < 0.6 && target.length > 0) target.push(structuredClone(pick(target)));
    else target[Math.floor(rnd() * Math.max(1, target.length))] = structuredClone(pick(ODD_VALUES));
  } else if (action < 0.25 && keys.length > 0) {
    delete target[pick(keys)];
  } else if (action < 0.6 && keys.length > 0) {
    target[pick(keys)] = structuredClone(pick(ODD_VALUES));
  } else if (action < 0.8) {
    const key = pick(ODD_KEYS);
    if (key === "__proto__") Object.defineProperty(target, key, { value: { p: 1 }, enumerable: true, configurable: true, writable: true });
    else target[key] = structuredClone(pick(ODD_VALUES));
  } else {
    // Same content, keys in reverse order.
    const entries = Object.entries(target).reverse();
    for (const k of keys) delete target[k];
    for (const [k, v] of entries) target[k] = v;
  }
  return copy;
}

describe("fastParse", () => {
  for (const [name, schema, base] of BASES) {
    it(`agrees with zod on ${name} and thousands of variations of it`, () => {
      const rnd = seededRandom(name.length * 7919);
      let answered = 0;
      let inPlace = 0;
      let zodAccepted = 0;
      for (let i = 0; i < 4000; i++) {
        let value: unknown = base;
        const changes = i === 0 ? 0 : 1 + Math.floor(rnd() * 3);
        for (let c = 0; c < changes; c++) value = mutate(value, rnd);
        const expected = schema.safeParse(value);
        if (expected.success) zodAccepted++;
        const checked = fastCheck(schema, value);
        const fast = fastParse(schema, value);
        if (checked !== undefined) {
          // The value itself, equal to zod's copy (keys in any order).
          inPlace++;
          expect(checked).toBe(value);
          expect(expected.success, `zod rejects what the in-place check accepted: ${JSON.stringify(value)}`).toBe(true);
          expect(checked).toStrictEqual(expected.data);
          expect(fast).toBeDefined();
        }
        if (fast === undefined) continue;
        answered++;
        expect(expected.success, `zod rejects what the fast path accepted: ${JSON.stringify(value)}`).toBe(true);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(expected.data));
        expect(fast).toStrictEqual(expected.data);
      }
      expect(fastParse(schema, base)).toBeDefined();
      expect(fastCheck(schema, base)).toBe(base);
      expect(inPlace).toBeGreaterThan(0);
      // The fast path answers for most values zod accepts (it is not a no-op).
      expect(answered).toBeGreaterThan(zodAccepted / 3);
    });
  }

  it("checks in place only what it would copy whole: an unknown key (which zod drops) makes it answer undefined", () => {
    const withExtra = { ...task, extra: 1 };
    expect(fastCheck(TaskSchema, withExtra)).toBeUndefined();
    expect(fastParse(TaskSchema, withExtra)).toStrictEqual(TaskSchema.parse(withExtra));
    const deep = { task: { ...task, status: { ...task.status, note: "x" } } };
    expect(fastCheck(SendMessageResultSchema, deep)).toBeUndefined();
    expect(fastParse(SendMessageResultSchema, deep)).toBeDefined();
    const inherited = Object.assign(Object.create({ inheritedKey: 1 }) as object, task);
    expect(fastCheck(TaskSchema, inherited)).toBeUndefined();
  });

  it("leaves 0.3 forms and errors to zod", () => {
    expect(fastParse(SendMessageParamsSchema, { message: { ...message, role: "user" } })).toBeUndefined();
    expect(fastParse(StreamResponseSchema, { kind: "task", ...task })).toBeUndefined();
    expect(fastParse(SendMessageParamsSchema, { message: { ...message, parts: [] } })).toBeUndefined();
    expect(fastParse(TaskSchema, { ...task, status: { state: "completed" } })).toBeUndefined();
    const { supportedInterfaces: _interfaces, ...cardV03 } = card;
    expect(fastParse(AgentCardSchema, cardV03)).toBeUndefined();
    expect(AgentCardSchema.parse(cardV03).supportedInterfaces).toHaveLength(1);
    expect(fastParse(AgentCardSchema, { ...card, security: [{ bearer: [] }] })).toBeUndefined();
    expect(fastParse(AgentCardSchema, { ...card, supportsAuthenticatedExtendedCard: true })).toBeUndefined();
    expect(fastParse(AgentCardSchema, { ...card, skills: [{ ...card.skills[0], security: [{ bearer: [] }] }] })).toBeUndefined();
    expect(fastParse(AgentCardSchema, { ...card, skills: [] })).toBeUndefined();
  });
});
