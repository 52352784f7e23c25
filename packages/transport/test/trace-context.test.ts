import { describe, expect, it } from "vitest";
import type { InboundMessage } from "@a2a/transport";
import { MAX_TRACESTATE_LENGTH, decodeRequest, encodeRequest, readTraceContext, writeTraceContext } from "@a2a/transport/binding";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";
const HEADER = `00-${TRACE}-${SPAN}-01`;

function inbound(payload: string, properties: InboundMessage["properties"] = {}): InboundMessage {
  return { topic: "org/agent/tasks", payload: new TextEncoder().encode(payload), qos: 1, retain: false, properties };
}

describe("W3C trace context in requests", () => {
  it("reads a valid traceparent and tracestate", () => {
    expect(readTraceContext({ traceparent: HEADER, tracestate: "vendor=abc,other=1" })).toEqual({ traceId: TRACE, spanId: SPAN, flags: 1, traceState: "vendor=abc,other=1" });
    // A later version may append fields; version 00 may not.
    expect(readTraceContext({ traceparent: `01-${TRACE}-${SPAN}-00-extra` })).toEqual({ traceId: TRACE, spanId: SPAN, flags: 0 });
  });

  it("ignores invalid or oversized trace context instead of failing the request", () => {
    for (const bad of [
      `00-${TRACE}-${SPAN}-01-extra`,
      `ff-${TRACE}-${SPAN}-01`,
      `00-${"0".repeat(32)}-${SPAN}-01`,
      `00-${TRACE}-${"0".repeat(16)}-01`,
      `00-${TRACE.toUpperCase()}-${SPAN}-01`,
      "00-abc-def-01",
      `01-${TRACE}-${SPAN}-01-${"x".repeat(300)}`,
    ]) {
      expect(readTraceContext({ traceparent: bad })).toBeUndefined();
    }
    const long = readTraceContext({ traceparent: HEADER, tracestate: `a=${"b".repeat(MAX_TRACESTATE_LENGTH)}` });
    expect(long).toEqual({ traceId: TRACE, spanId: SPAN, flags: 1 });
    expect(readTraceContext({ traceparent: HEADER, tracestate: "a=\u0000" })?.traceState).toBeUndefined();
  });

  it("travels as MQTT 5 user properties and, on 3.1.1, in the serviceParams member", () => {
    const params = writeTraceContext({ "A2A-Version": "1.0" }, { traceId: TRACE, spanId: SPAN, flags: 1, traceState: "v=1" });
    const request = { jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "t" } };

    const v5 = encodeRequest({ request, replyTopic: "replies/c/i", serviceParams: params, messageProperties: true });
    expect(v5.options.properties?.userProperties).toEqual({ "A2A-Version": "1.0", traceparent: HEADER, tracestate: "v=1" });
    expect(JSON.parse(v5.payload)).not.toHaveProperty("serviceParams");
    const decoded5 = decodeRequest(inbound(v5.payload, { responseTopic: "replies/c/i", userProperties: { TraceParent: HEADER, tracestate: "v=1" } }));
    expect(readTraceContext(decoded5.serviceParams)).toEqual({ traceId: TRACE, spanId: SPAN, flags: 1, traceState: "v=1" });

    const v4 = encodeRequest({ request, replyTopic: "replies/c/i", serviceParams: params, messageProperties: false });
    expect((JSON.parse(v4.payload) as { serviceParams: unknown }).serviceParams).toEqual({ "A2A-Version": "1.0", traceparent: HEADER, tracestate: "v=1" });
    expect(readTraceContext(decodeRequest(inbound(v4.payload)).serviceParams)?.spanId).toBe(SPAN);
  });
});
