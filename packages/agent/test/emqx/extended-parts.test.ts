import { describe, expect, it } from "vitest";
import { readBearerAuthorization, bearerAuthorization, insecureTokenRefusal } from "@a2a/transport/binding";
import { BinaryArtifactEncoder } from "../../src/emqx/artifact-chunks.js";
import { composeEmqxHooks } from "../../src/emqx/extended-hooks.js";
import { grantedScopes, missingScopes } from "../../src/emqx/required-scopes.js";
import type { EmqxInboundRequest } from "../../src/emqx/emqx-options.js";

function request(userProperties: Record<string, string>): EmqxInboundRequest {
  return { topic: "t", userProperties, receivedAt: 0, message: { topic: "t", payload: new Uint8Array(), qos: 1, retain: false, properties: { userProperties } } };
}

function artifactFrame(update: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: "2.0", id: "1", result: { artifactUpdate: { taskId: "t1", contextId: "c1", ...update } } });
}

describe("scopes from securityRequirements", () => {
  it("needs every scope of one requirement, and one requirement of the list", () => {
    const reqs = [{ schemes: { bearer: { list: ["a", "b"] } } }, { schemes: { bearer: { list: ["c"] } } }];
    expect(missingScopes(reqs, "bearer", new Set(["a", "b"]))).toEqual([]);
    expect(missingScopes(reqs, "bearer", new Set(["c"]))).toEqual([]);
    expect(missingScopes(reqs, "bearer", new Set(["a"]))).toEqual(["b"]);
    expect(missingScopes(undefined, "bearer", new Set())).toEqual([]);
    // A requirement naming another scheme cannot be met by a bearer token.
    expect(missingScopes([{ schemes: { mtls: {} } }], "bearer", new Set(["a"]))).toBeUndefined();
  });

  it("reads `scope` (space-separated) and `scp` (a list)", () => {
    expect([...grantedScopes({ scope: "a  b", scp: ["c", 1, ""] })].sort()).toEqual(["a", "b", "c"]);
  });
});

describe("a2a-authorization values", () => {
  it("takes `Bearer <token68>` only", () => {
    expect(readBearerAuthorization("Bearer abc.def-_~+/=")).toEqual({ token: "abc.def-_~+/=" });
    expect(readBearerAuthorization("bearer abc")).toEqual({ token: "abc" });
    expect(readBearerAuthorization(undefined)).toEqual({ missing: true });
    expect(readBearerAuthorization("Basic abc")).toHaveProperty("malformed");
    // A repeated property arrives joined with a comma: two tokens are not one.
    expect(readBearerAuthorization("Bearer abc,Bearer def")).toHaveProperty("malformed");
    expect(readBearerAuthorization(`Bearer ${"a".repeat(20_000)}`)).toHaveProperty("malformed", "the a2a-authorization value is longer than 16384 characters");
    expect(() => bearerAuthorization("has space")).toThrow(/token68/);
  });

  it("refuses tokens without TLS unless allowed", () => {
    expect(insecureTokenRefusal("mqtt://user:secret@host:1883", false)).toMatch(/not TLS/);
    expect(insecureTokenRefusal("mqtt://user:secret@host:1883", false)).not.toContain("secret");
    expect(insecureTokenRefusal("mqtts://host", false)).toBeUndefined();
    expect(insecureTokenRefusal("wss://host/mqtt", false)).toBeUndefined();
    expect(insecureTokenRefusal("mqtt://host", true)).toBeUndefined();
  });
});

describe("BinaryArtifactEncoder", () => {
  const binary = request({ "a2a-artifact-mode": "binary" });
  const correlationData = new TextEncoder().encode("c");

  it("splits raw parts into numbered chunks, continuing across appends and restarting on a replacing update", () => {
    const encoder = new BinaryArtifactEncoder({ chunkBytes: 4 });
    const raw = Buffer.from("0123456789").toString("base64");
    const first = encoder.transform(binary, { payload: artifactFrame({ artifact: { artifactId: "a", parts: [{ raw }] }, append: false, lastChunk: false }), properties: { correlationData, userProperties: { "a2a-responder-agent-id": "w1" } } });
    expect(first.map((p) => Buffer.from(p.payload as Uint8Array).toString())).toEqual(["0123", "4567", "89"]);
    expect(first.map((p) => p.properties.userProperties?.["a2a-chunk-seqno"])).toEqual(["0", "1", "2"]);
    expect(first.every((p) => p.properties.userProperties?.["a2a-last-chunk"] === "false")).toBe(true);
    expect(first[0]!.properties.userProperties?.["a2a-responder-agent-id"]).toBe("w1");
    const next = encoder.transform(binary, { payload: artifactFrame({ artifact: { artifactId: "a", parts: [{ raw: "" }] }, append: true, lastChunk: true }), properties: { correlationData } });
    expect(next.map((p) => [p.properties.userProperties?.["a2a-chunk-seqno"], p.properties.userProperties?.["a2a-last-chunk"], (p.payload as Uint8Array).byteLength])).toEqual([["3", "true", 0]]);
    const replaced = encoder.transform(binary, { payload: artifactFrame({ artifact: { artifactId: "a", parts: [{ raw }] } }), properties: { correlationData } });
    expect(replaced[0]!.properties.userProperties?.["a2a-chunk-seqno"]).toBe("0");
    // A complete artifact (neither appended nor chunked) is its own last chunk.
    expect(replaced.at(-1)!.properties.userProperties?.["a2a-last-chunk"]).toBe("true");
  });

  it("leaves JSON alone: other parts, other items, requests that did not ask", () => {
    const encoder = new BinaryArtifactEncoder();
    const text = { payload: artifactFrame({ artifact: { artifactId: "a", parts: [{ text: "hi" }] } }), properties: {} };
    expect(encoder.transform(binary, text)).toEqual([text]);
    const mixed = { payload: artifactFrame({ artifact: { artifactId: "a", parts: [{ raw: "AA==" }, { text: "x" }] } }), properties: {} };
    expect(encoder.transform(binary, mixed)).toEqual([mixed]);
    const raw = { payload: artifactFrame({ artifact: { artifactId: "a", parts: [{ raw: "AA==" }] } }), properties: {} };
    expect(encoder.transform(request({}), raw)).toEqual([raw]);
    expect(encoder.transform(request({ "a2a-artifact-mode": "zip" }), raw)).toEqual([raw]);
    expect(encoder.replyProperties(request({}))).toBeUndefined();
    expect(encoder.replyProperties(request({ "A2A-Artifact-Mode": "BINARY" }))).toEqual({ "a2a-artifact-mode": "binary" });
    expect(encoder.replyProperties(request({ "a2a-artifact-mode": "zip" }))).toEqual({ "a2a-artifact-mode": "json" });
  });
});

describe("composeEmqxHooks", () => {
  it("refuses when any set refuses, joins properties, chains transforms", async () => {
    const hooks = composeEmqxHooks(
      { authorize: () => ({ ok: true, principal: { kind: "token", subject: "s" } }), replyProperties: () => ({ a: "1", b: "1" }), transformReply: (_r, p) => [p, p] },
      { authorize: (r) => (r.userProperties.deny ? { ok: false, error: { code: -1, message: "no" } } : { ok: true }), replyProperties: () => ({ b: "2" }), transformReply: (_r, p) => [{ ...p, payload: "x" }] },
    );
    expect(await hooks.authorize!(request({}), { method: "m", params: {} })).toEqual({ ok: true, principal: { kind: "token", subject: "s" } });
    expect(await hooks.authorize!(request({ deny: "1" }), { method: "m", params: {} })).toEqual({ ok: false, error: { code: -1, message: "no" } });
    expect(hooks.replyProperties!(request({}))).toEqual({ a: "1", b: "2" });
    expect((await hooks.transformReply!(request({}), { payload: "p", properties: {} })).map((p) => p.payload)).toEqual(["x", "x"]);
  });
});
