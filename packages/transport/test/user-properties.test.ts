import { describe, expect, it } from "vitest";
import type { IPublishPacket } from "mqtt";
import { decodeRequest, requestedExtensions, requestedVersion } from "../src/binding/index.js";
import { fromMqttProperties } from "../src/mqtt/properties.js";

function packet(userProperties: Record<string, string | string[]>): IPublishPacket {
  return { cmd: "publish", qos: 1, dup: false, retain: false, topic: "t", payload: Buffer.from("{}"), properties: { userProperties } };
}

function request(userProperties: Record<string, string>) {
  const payload = new TextEncoder().encode(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "x" } }));
  return decodeRequest({ topic: "o/a/tasks", payload, qos: 1, retain: false, properties: { responseTopic: "replies/c/i", userProperties } });
}

describe("repeated MQTT 5 user properties (binding section 4.2)", () => {
  it("keeps every value of a repeated property, joined as a list", () => {
    const { properties } = fromMqttProperties(packet({ "A2A-Extensions": ["urn:a", "urn:b"], "A2A-Version": "1.0" }));
    expect(properties.userProperties).toEqual({ "A2A-Extensions": "urn:a,urn:b", "A2A-Version": "1.0" });
  });

  it("counts every value of a service parameter, names compared case-insensitively", () => {
    const decoded = request({ "A2A-Extensions": "urn:a", "a2a-extensions": "urn:b, urn:c", "a2a-version": "1.0" });
    expect(requestedExtensions(decoded.serviceParams)).toEqual(["urn:a", "urn:b", "urn:c"]);
    expect(requestedVersion(decoded.serviceParams)).toBe("1.0");
  });

  it("a version given twice is that version when both agree, else no version the agent serves", () => {
    expect(requestedVersion(request({ "A2A-Version": "1.0", "a2a-version": "1.0" }).serviceParams)).toBe("1.0");
    expect(requestedVersion(request({ "A2A-Version": "1.0", "a2a-version": "0.3" }).serviceParams)).toBe("1.0,0.3");
  });

  it("merges other parameters' spellings as well, keeping the first one", () => {
    expect(request({ "X-Trace": "a", "x-trace": "b" }).serviceParams).toEqual({ "X-Trace": "a,b" });
  });
});
