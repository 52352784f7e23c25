// Validates untrusted A2A JSON with @a2a/schema alone. Exits 1 when a result is not the
// expected one, so it doubles as a check that the package works where it is installed.
import assert from "node:assert/strict";
import { AgentCardSchema, JsonRpcRequestSchema, normalizeMethod, parseWire } from "@a2a/schema";

const card = {
  name: "Echo",
  description: "Echoes",
  version: "1.0.0",
  capabilities: { streaming: true },
  supportedInterfaces: [{ url: "mqtt://my-org/echo", protocolBinding: "urn:a2a-mqtt:binding:mqtt:v1", protocolVersion: "1.0" }],
  defaultInputModes: ["text/plain"],
  defaultOutputModes: ["text/plain"],
  skills: [{ id: "echo", name: "Echo", description: "Echoes text", tags: ["echo"] }],
};

const valid = parseWire(AgentCardSchema, card);
assert.equal(valid.ok, true, "a complete card is valid");

const invalid = parseWire(AgentCardSchema, { ...card, skills: "none" });
assert.equal(invalid.ok, false, "a card whose skills are not a list is rejected");
assert.match(invalid.error.message, /skills/, "the error names the field");

// A request in the A2A 0.3 spelling is accepted and named as in 1.0.
const request = parseWire(JsonRpcRequestSchema, { jsonrpc: "2.0", id: 1, method: "message/send", params: {} });
assert.equal(request.ok, true);
assert.equal(normalizeMethod(request.value.method), "SendMessage");

console.log(`valid card: ${valid.ok}; invalid card: ${invalid.error.message.split("\n")[0]}; message/send is ${normalizeMethod("message/send")}`);
