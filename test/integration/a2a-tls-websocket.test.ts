import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MqttTransport } from "@a2a/transport/mqtt";
import type { Broker, BrokerLogEntry } from "@a2a/broker";
import { createTestPki, requireOpenssl, type TestPki } from "@a2a/testing";
import { a2aRoundTrip, EXPECTED_ROUND_TRIP } from "./a2a-round-trip.js";
import { fixtureBroker, PASSWORDS } from "./helpers.js";

// A2AAgent and A2AClient on the embedded broker with users, the ACL and TLS on both
// listeners: MQTT over TLS and WebSocket over TLS.
describe.runIf(requireOpenssl())("A2A over TLS and WebSockets on the embedded broker (users and ACL)", () => {
  let pki: TestPki;
  let broker: Broker;
  const log: BrokerLogEntry[] = [];

  beforeAll(async () => {
    pki = createTestPki({ clients: ["acme/echo", "alice"] });
    broker = await fixtureBroker({ pki, websocket: true, logger: (entry) => log.push(entry) });
  });
  afterAll(async () => {
    await broker?.close();
    pki?.remove();
  });

  it("round-trips over mqtts:// with usernames and passwords, and the ACL refuses nothing of it", async () => {
    const from = log.length;
    const result = await a2aRoundTrip({
      agent: { broker: broker.url, mqtt: { username: "acme/echo", password: PASSWORDS["acme/echo"], tls: { ca: pki.ca } } },
      client: { broker: broker.url, clientId: "alice", username: "alice", password: PASSWORDS.alice, mqtt: { tls: { ca: pki.ca } } },
    });
    expect(result).toEqual(EXPECTED_ROUND_TRIP);
    expect(log.slice(from)).toEqual([]);
  });

  it("round-trips over mqtts:// with client certificates as the only login", async () => {
    const from = log.length;
    const result = await a2aRoundTrip({
      agent: { broker: broker.url, mqtt: { tls: { ca: pki.ca, ...pki.clients["acme/echo"]! } } },
      client: { broker: broker.url, clientId: "alice", mqtt: { tls: { ca: pki.ca, ...pki.clients.alice! } } },
    });
    expect(result).toEqual(EXPECTED_ROUND_TRIP);
    expect(log.slice(from)).toEqual([]);
  });

  it("round-trips over wss://, the client on a MqttTransport of its own", async () => {
    const from = log.length;
    const transport = new MqttTransport({ url: broker.wsUrl!, clientId: "alice", username: "alice", password: PASSWORDS.alice, tls: { ca: pki.ca } });
    try {
      const result = await a2aRoundTrip({
        agent: { broker: broker.wsUrl!, mqtt: { username: "acme/echo", password: PASSWORDS["acme/echo"], tls: { ca: pki.ca } } },
        client: { broker: transport },
      });
      expect(result).toEqual(EXPECTED_ROUND_TRIP);
    } finally {
      await transport.close();
    }
    expect(log.slice(from)).toEqual([]);
  });

  it("refuses the client's calls when it logs in as someone else's inbox (the ACL is really on)", async () => {
    const from = log.length;
    // alice's password, bob's client id: refused at CONNECT (identifier rejected).
    await expect(
      a2aRoundTrip({
        agent: { broker: broker.url, mqtt: { username: "acme/echo", password: PASSWORDS["acme/echo"], tls: { ca: pki.ca } } },
        client: { broker: broker.url, clientId: "bob", username: "alice", password: PASSWORDS.alice, mqtt: { tls: { ca: pki.ca } } },
      }),
    ).rejects.toThrow(/Identifier rejected/i);
    expect(log.slice(from)).toMatchObject([{ kind: "auth-failed", clientId: "bob" }]);
  });
});
