import { describe, expect, it } from "vitest";
import type { InboundMessage } from "@a2a/transport";
import {
  BINDING_URI,
  PRESENCE_WILL_EXPIRY_SECONDS,
  compactRequestKey,
  PRESENCE_EXTENSION_URI,
  decodeReply,
  decodeRequest,
  encodePresence,
  encodeReply,
  encodeRequest,
  isStreamEnd,
  isValidReplyTopic,
  jsonRpcError,
  jsonRpcResult,
  jsonRpcResultText,
  messageKey,
  payloadDigest,
  presenceOf,
  replyPublishOptions,
  requestKey,
  requestedExtensions,
  requestedVersion,
  withPresence,
} from "@a2a/transport/binding";

function inbound(payload: string | Uint8Array, properties: InboundMessage["properties"] = {}): InboundMessage {
  return {
    topic: "org/agent/tasks",
    payload: typeof payload === "string" ? new TextEncoder().encode(payload) : payload,
    qos: 1,
    retain: false,
    properties,
  };
}

/** What an MQTT 3.1.1 broker delivers for a publish: the payload, no properties. */
function over311(encoded: { payload: string }): InboundMessage {
  return inbound(encoded.payload);
}

/** What an MQTT 5 broker delivers: payload and properties. */
function over5(encoded: { payload: string; options: { properties?: InboundMessage["properties"] } }): InboundMessage {
  return inbound(encoded.payload, encoded.options.properties ?? {});
}

const request = { jsonrpc: "2.0", id: 7, method: "GetTask", params: { id: "t1" } } as const;

describe("binding constants", () => {
  it("names the binding and presence URIs", () => {
    expect(BINDING_URI).toBe("urn:a2a-mqtt:binding:mqtt:v1");
    expect(PRESENCE_EXTENSION_URI).toBe("urn:a2a-mqtt:ext:presence:v1");
  });
});

describe("request encoding round trip", () => {
  it("on MQTT 3.1.1 carries reply topic and service params in the payload", () => {
    const enc = encodeRequest({ request, replyTopic: "replies/c1/i", serviceParams: { "A2A-Version": "1.0" }, messageProperties: false });
    expect(JSON.parse(enc.payload)).toEqual({ ...request, replyTo: "replies/c1/i", serviceParams: { "A2A-Version": "1.0" } });
    expect(enc.options.qos).toBe(1);
    const dec = decodeRequest(over311(enc));
    expect(dec.kind).toBe("jsonrpc");
    if (dec.kind !== "jsonrpc") return;
    expect(dec.request).toEqual(request);
    expect(dec.replyTopic).toBe("replies/c1/i");
    expect(dec.serviceParams).toEqual({ "A2A-Version": "1.0" });
  });

  it("on MQTT 5 carries them as properties, with correlation data", () => {
    const corr = new Uint8Array([1, 2, 3]);
    const enc = encodeRequest({
      request,
      replyTopic: "replies/c1/i",
      correlationData: corr,
      serviceParams: { "A2A-Version": "1.0", "A2A-Extensions": "urn:x, urn:y" },
      messageProperties: true,
      messageExpiryInterval: 30,
    });
    expect(JSON.parse(enc.payload)).toEqual(request);
    expect(enc.options.properties).toMatchObject({ responseTopic: "replies/c1/i", correlationData: corr, messageExpiryInterval: 30 });
    const dec = decodeRequest(over5(enc));
    expect(dec.replyTopic).toBe("replies/c1/i");
    expect(dec.correlationData).toEqual(corr);
    expect(requestedVersion(dec.serviceParams)).toBe("1.0");
    expect(requestedExtensions(dec.serviceParams)).toEqual(["urn:x", "urn:y"]);
  });

  it("matches service parameter names case-insensitively and defaults the version to 0.3", () => {
    const dec = decodeRequest(inbound(JSON.stringify(request), { userProperties: { "a2a-version": "1.0" } }));
    expect(dec.serviceParams).toEqual({ "A2A-Version": "1.0" });
    expect(requestedVersion(decodeRequest(inbound(JSON.stringify(request))).serviceParams)).toBe("0.3");
  });

  it("prefers the MQTT 5 response topic over a replyTo member", () => {
    const dec = decodeRequest(inbound(JSON.stringify({ ...request, replyTo: "other" }), { responseTopic: "mine" }));
    expect(dec.replyTopic).toBe("mine");
  });
});

describe("request decoding of bad input", () => {
  it("answers non-JSON with -32700 and id null", () => {
    const dec = decodeRequest(inbound("{nope", { responseTopic: "r" }));
    expect(dec).toMatchObject({ kind: "invalid", id: null, replyTopic: "r", error: { code: -32700 } });
  });

  it("answers invalid UTF-8 with -32700", () => {
    const dec = decodeRequest(inbound(new Uint8Array([0x7b, 0xff, 0x7d])));
    expect(dec).toMatchObject({ kind: "invalid", error: { code: -32700 } });
  });

  it.each([["[]"], ["42"], ["null"], ['"text"']])("answers %s with -32600", (payload) => {
    expect(decodeRequest(inbound(payload))).toMatchObject({ kind: "invalid", id: null, error: { code: -32600 } });
  });

  it("answers a wrong jsonrpc version with -32600, echoing the id exactly", () => {
    for (const id of [0, "", "x", 12.5]) {
      const dec = decodeRequest(inbound(JSON.stringify({ jsonrpc: "1.0", id, method: "GetTask", replyTo: "r" })));
      expect(dec).toMatchObject({ kind: "invalid", id, replyTopic: "r", error: { code: -32600 } });
    }
  });

  it("answers a missing method or a bad id with -32600", () => {
    expect(decodeRequest(inbound(JSON.stringify({ jsonrpc: "2.0", id: 1 })))).toMatchObject({ kind: "invalid", id: 1, error: { code: -32600 } });
    expect(decodeRequest(inbound(JSON.stringify({ jsonrpc: "2.0", id: {}, method: "x" })))).toMatchObject({
      kind: "invalid",
      id: null,
      error: { code: -32600 },
    });
  });

  it("passes an unknown method without params through (the method table answers -32601)", () => {
    const dec = decodeRequest(inbound(JSON.stringify({ jsonrpc: "2.0", id: 0, method: "Nope" })));
    expect(dec).toMatchObject({ kind: "jsonrpc", request: { id: 0, method: "Nope" } });
    expect(dec.kind === "jsonrpc" && "params" in dec.request).toBe(false);
  });

  it("treats a request without id as a notification that gets no reply", () => {
    const dec = decodeRequest(inbound(JSON.stringify({ jsonrpc: "2.0", method: "SendMessage", replyTo: "r" })));
    expect(dec.kind).toBe("jsonrpc");
    expect(dec.replyTopic).toBeUndefined();
  });

  it("refuses oversize payloads before parsing, replying where the topic is known", () => {
    const big = JSON.stringify({ ...request, pad: "x".repeat(2000) });
    const dec = decodeRequest(inbound(big, { responseTopic: "r" }), { maxPayloadBytes: 1000 });
    expect(dec).toMatchObject({ kind: "invalid", replyTopic: "r", error: { code: -32600 } });
    expect(dec.kind === "invalid" && dec.error.message).toMatch(/exceeds the limit of 1000 bytes/);
  });

  it("ignores reply topics with wildcards or control characters", () => {
    for (const t of ["a/+/b", "a/#", "", "a\u0000b", 5]) {
      expect(decodeRequest(inbound(JSON.stringify({ ...request, replyTo: t }))).replyTopic).toBeUndefined();
      expect(isValidReplyTopic(t)).toBe(false);
    }
    expect(isValidReplyTopic("replies/c/i")).toBe(true);
  });

  it("recognises a compact Task Request (no jsonrpc, has operation)", () => {
    const compact = { id: "req-123", taskId: "task-abc-789", operation: "inventory-check", params: {} };
    const dec = decodeRequest(inbound(JSON.stringify(compact)));
    expect(dec).toMatchObject({ kind: "compact", request: compact });
    expect(dec.replyTopic).toBeUndefined();
  });
});

describe("replies and stream frames", () => {
  it("round-trips a result with correlation data", () => {
    const corr = new Uint8Array([9]);
    const enc = encodeReply({ body: jsonRpcResult(0, { task: { id: "t" } }), correlationData: corr });
    const dec = decodeReply(over5(enc));
    expect(dec).toEqual({
      ok: true,
      reply: {
        id: 0,
        result: { task: { id: "t" } },
        final: false,
        correlationData: corr,
        response: { jsonrpc: "2.0", id: 0, result: { task: { id: "t" } } },
      },
    });
  });

  it("writes the envelope around a result that is already JSON text, as for the value itself", () => {
    const result = { task: { id: "t", status: { state: "TASK_STATE_COMPLETED" } } };
    for (const id of [0, "", "a\"b", null]) {
      const text = jsonRpcResultText(id, JSON.stringify(result));
      expect(text).toBe(JSON.stringify(jsonRpcResult(id, result)));
      const corr = new Uint8Array([7]);
      const dec = decodeReply(over5({ payload: text, options: replyPublishOptions(corr) }));
      expect(dec.ok && dec.reply).toMatchObject({ id, result, correlationData: corr });
    }
  });

  it("adds seq and final to stream frames", () => {
    const enc = encodeReply({ body: jsonRpcResult("s", { statusUpdate: {} }), seq: 3, final: true });
    expect(JSON.parse(enc.payload)).toEqual({ jsonrpc: "2.0", id: "s", result: { statusUpdate: {} }, seq: 3, final: true });
    const dec = decodeReply(over311(enc));
    expect(dec.ok && dec.reply.seq).toBe(3);
    expect(dec.ok && dec.reply.final).toBe(true);
  });

  it("reads error replies and rejects malformed ones", () => {
    const err = decodeReply(over311(encodeReply({ body: jsonRpcError(1, { code: -32001, message: "nope" }) })));
    expect(err.ok && err.reply.error).toEqual({ code: -32001, message: "nope" });
    expect(decodeReply(inbound('{"jsonrpc":"2.0","id":1}')).ok).toBe(false);
    expect(decodeReply(inbound('{"jsonrpc":"2.0","id":1,"result":1,"error":{"code":1,"message":""}}')).ok).toBe(false);
    expect(decodeReply(inbound('{"jsonrpc":"2.0","id":1,"result":1,"seq":-1}')).ok).toBe(false);
    expect(decodeReply(inbound("garbage")).ok).toBe(false);
  });

  it("knows which stream responses end a stream", () => {
    expect(isStreamEnd({ task: { id: "t", status: { state: "TASK_STATE_WORKING" } } })).toBe(false);
    expect(isStreamEnd({ statusUpdate: { status: { state: "TASK_STATE_COMPLETED" } } })).toBe(true);
    expect(isStreamEnd({ statusUpdate: { status: { state: "input-required" } } })).toBe(true);
    expect(isStreamEnd({ task: { status: { state: "TASK_STATE_AUTH_REQUIRED" } } })).toBe(true);
    expect(isStreamEnd({ message: { messageId: "m" } })).toBe(true);
    expect(isStreamEnd({ artifactUpdate: { artifact: {} } })).toBe(false);
  });
});

describe("presence", () => {
  it("adds and replaces the presence extension without touching the input", () => {
    const card = { name: "a", capabilities: { streaming: true, extensions: [{ uri: "urn:other" }] } };
    const online = withPresence(card, "online", { since: new Date("2024-01-01T00:00:00Z") });
    expect(presenceOf(online)).toEqual({ status: "online", since: "2024-01-01T00:00:00.000Z" });
    const offline = withPresence(online, "offline");
    expect(presenceOf(offline)?.status).toBe("offline");
    expect(offline.capabilities.extensions).toHaveLength(2);
    expect(card.capabilities.extensions).toHaveLength(1);
    expect(presenceOf(card)).toBeUndefined();
    expect(presenceOf(null)).toBeUndefined();
  });
});

describe("presence messages", () => {
  it("are the retained card with its presence; only the will says it is one and carries the longest expiry", () => {
    const card = { name: "a", capabilities: {} };
    const online = encodePresence({ topic: "discovery/o/a", card, status: "online" });
    expect(online).toMatchObject({ topic: "discovery/o/a", qos: 1, retain: true, properties: { contentType: "application/json", userProperties: { "a2a-status": "online" } } });
    expect(online.properties.messageExpiryInterval).toBeUndefined();
    expect(presenceOf(JSON.parse(online.payload as string))).toMatchObject({ status: "online" });
    const will = encodePresence({ topic: "discovery/o/a", card, status: "offline", will: true });
    expect(will.properties).toMatchObject({ userProperties: { "a2a-status": "offline" }, messageExpiryInterval: PRESENCE_WILL_EXPIRY_SECONDS });
    expect(presenceOf(JSON.parse(will.payload as string))).toMatchObject({ status: "offline", will: true });
  });
});

describe("de-duplication keys", () => {
  it("differ by reply topic, correlation data and id type", () => {
    const a = requestKey({ replyTopic: "r", id: 1 });
    expect(requestKey({ replyTopic: "r", id: 1 })).toBe(a);
    expect(requestKey({ replyTopic: "r", id: "1" })).not.toBe(a);
    expect(requestKey({ replyTopic: "s", id: 1 })).not.toBe(a);
    expect(requestKey({ replyTopic: "r", id: 1, correlationData: new Uint8Array([1]) })).not.toBe(a);
    const m = messageKey({ replyTopic: "r", messageId: "m", method: "SendMessage", form: "1.0" });
    expect(messageKey({ replyTopic: "r", messageId: "m", method: "SendMessage", form: "1.0" })).toBe(m);
    expect(messageKey({ replyTopic: "s", messageId: "m", method: "SendMessage", form: "1.0" })).not.toBe(m);
    expect(messageKey({ replyTopic: "r", messageId: "m", method: "SendStreamingMessage", form: "1.0" })).not.toBe(m);
    expect(messageKey({ replyTopic: "r", messageId: "m", method: "SendMessage", form: "0.3" })).not.toBe(m);
  });

  it("keep compact Task Requests apart from JSON-RPC requests of the same id", () => {
    const compact = compactRequestKey({ replyTopic: "org/agent/results", id: "req-1" });
    expect(compactRequestKey({ replyTopic: "org/agent/results", id: "req-1" })).toBe(compact);
    expect(compact).not.toBe(requestKey({ replyTopic: "org/agent/results", id: "req-1" }));
    expect(compactRequestKey({ replyTopic: "org/agent/results", id: "req-2" })).not.toBe(compact);
    expect(compactRequestKey({ replyTopic: "org/agent/results", id: "req-1", correlationData: new Uint8Array([1]) })).not.toBe(compact);
  });

  it("digest a request by its payload bytes and version: the same bytes match, other bytes or another version do not", () => {
    const text = '{"jsonrpc":"2.0","id":1,"method":"GetTask","params":{"id":"t"}}';
    const bytes = new TextEncoder().encode(text);
    const a = payloadDigest({ version: "1.0", payload: bytes });
    expect(payloadDigest({ version: "1.0", payload: text })).toBe(a);
    expect(payloadDigest({ version: "0.3", payload: bytes })).not.toBe(a);
    expect(payloadDigest({ version: "1.0", payload: text.replace('"t"', '"u"') })).not.toBe(a);
    // A long version (a list, a forged header) is hashed with the payload: the digest stays short.
    const long = "1.0,".repeat(40);
    expect(payloadDigest({ version: long, payload: bytes }).length).toBeLessThan(64);
    expect(payloadDigest({ version: long, payload: bytes })).toBe(payloadDigest({ version: long, payload: text }));
    expect(payloadDigest({ version: long, payload: bytes })).not.toBe(payloadDigest({ version: `${long}x`, payload: bytes }));
  });

  it("hand the payload a request was read from to the agent (for its digest)", () => {
    const bytes = new TextEncoder().encode('{"jsonrpc":"2.0","id":1,"method":"GetTask","params":{"id":"t"}}');
    const decoded = decodeRequest(inbound(bytes, { responseTopic: "replies/c/i" }));
    expect(decoded.kind === "jsonrpc" && decoded.payload).toBe(bytes);
  });
});
