import { describe, expect, test } from "vitest";
import {
  AgentCardSchema,
  ArtifactSchema,
  CompactAgentCardSchema,
  JsonRpcRequestSchema,
  JsonRpcResponseSchema,
  MessageSchema,
  OPERATION_PARAMS,
  StreamResponseSchema,
  TaskRequestSchema,
  TaskResultSchema,
  TaskSchema,
  normalizeMethod,
  parseWire,
} from "@a2a/schema";
import { seedAgentCard, seedTaskRequest, seedTaskResult } from "./fixtures/seed-examples.js";
import * as spec from "./fixtures/spec-examples.js";

describe("the seed's JSON examples validate", () => {
  test("Agent Card", () => {
    expect(parseWire(CompactAgentCardSchema, seedAgentCard)).toEqual({ ok: true, value: seedAgentCard });
  });
  test("Task Request", () => {
    const r = parseWire(TaskRequestSchema, seedTaskRequest);
    expect(r.ok).toBe(true);
    // The compact message's role comes out in its 1.0 spelling; nothing else changes.
    const expected = structuredClone(seedTaskRequest) as { params: { message: { role: string } } };
    expected.params.message.role = "ROLE_USER";
    expect(r.ok && r.value).toEqual(expected);
  });
  test("Task Result", () => {
    expect(parseWire(TaskResultSchema, seedTaskResult)).toEqual({ ok: true, value: seedTaskResult });
  });
  test("a bare seed card is not mistaken for a full 1.0 card", () => {
    const r = parseWire(AgentCardSchema, seedAgentCard);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(["description", "version", "capabilities", "defaultInputModes", "skills[0].tags"]),
    );
  });
});

describe("spec-shaped examples validate and round-trip unchanged", () => {
  const cases: [string, Parameters<typeof parseWire>[0], unknown][] = [
    ["sample agent card (spec 8.5)", AgentCardSchema, spec.sampleAgentCard],
    ["message with extensions", MessageSchema, spec.userMessage],
    ["artifact with extensions", ArtifactSchema, spec.artifact],
    ["completed task", TaskSchema, spec.completedTask],
    ...spec.streamEvents.map((e, i): [string, typeof StreamResponseSchema, unknown] => [`stream event ${i}`, StreamResponseSchema, e]),
    ...spec.errorResponses.map((e, i): [string, typeof JsonRpcResponseSchema, unknown] => [`error response ${i}`, JsonRpcResponseSchema, e]),
  ];
  test.each(cases)("%s", (_name, schema, value) => {
    expect(parseWire(schema, value)).toEqual({ ok: true, value });
  });

  test.each(spec.requests.map((r) => [r.method, r] as const))("%s request and its params", (_m, req) => {
    const envelope = parseWire(JsonRpcRequestSchema, req);
    expect(envelope).toEqual({ ok: true, value: req });
    const method = normalizeMethod(req.method);
    expect(method).toBeDefined();
    const params = parseWire(OPERATION_PARAMS[method!], "params" in req ? req.params : {}, { root: "params" });
    expect(params).toEqual({ ok: true, value: "params" in req ? req.params : {} });
  });
});
