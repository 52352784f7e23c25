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
