import { describe, expect, it } from "vitest";
import { toMqttProperties } from "../src/mqtt/properties.js";

describe("our MQTT 5 properties on the way out (toMqttProperties)", () => {
  it("leaves an empty user property map out: mqtt-packet 9 never returns from encoding one", () => {
    expect(toMqttProperties({ userProperties: {}, contentType: "application/json" })).toEqual({ contentType: "application/json" });
    expect(toMqttProperties({ userProperties: { a: "1" } })).toEqual({ userProperties: { a: "1" } });
  });

  it("sends Payload Format Indicator 0 as false (unspecified bytes) and 1 as true", () => {
    expect(toMqttProperties({ payloadFormatIndicator: false })).toEqual({ payloadFormatIndicator: false });
    expect(toMqttProperties({ payloadFormatIndicator: true })).toEqual({ payloadFormatIndicator: true });
  });
});

describe("correlation data on the way out", () => {
  it("is a Buffer over the caller's bytes (mqtt.js copies the packet it keeps), not a second copy", () => {
    const bytes = new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4);
    const out = toMqttProperties({ correlationData: bytes }).correlationData as Buffer;
    expect(Buffer.isBuffer(out)).toBe(true);
    expect([...out]).toEqual([1, 2, 3]);
    expect(out.buffer).toBe(bytes.buffer);
    const buffer = Buffer.from("id");
    expect(toMqttProperties({ correlationData: buffer }).correlationData).toBe(buffer);
  });
});
