import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TransportError } from "@a2a/transport";
import type { MqttTransportOptions } from "@a2a/transport/mqtt";
import type { Broker } from "@a2a/broker";
import { createTestPki, requireOpenssl, waitFor, type TestPki } from "@a2a/testing";
import { closeTransports, connectedTransport, fixtureBroker, typicalFastRoundTripMs, PASSWORDS, text } from "./helpers.js";

interface Setup {
  broker: Broker;
  /** Options every transport of the suite needs (TLS trust for wss://). */
  base: Pick<MqttTransportOptions, "tls">;
}

// MqttTransport over the embedded broker's WebSocket listener, plain and with TLS, with
// users and the ACL on: the same behaviour as over TCP, TCP_NODELAY included.
function websocketSuite(name: string, start: () => Promise<Setup>, after: () => void = () => {}) {
  describe(name, () => {
    let setup: Setup;
    beforeAll(async () => {
      setup = await start();
    });
    afterAll(async () => {
      await setup?.broker.close();
      after();
    });
    afterEach(closeTransports);

    const url = () => setup.broker.wsUrl!;
    const alice = () => connectedTransport({ ...setup.base, url: url(), clientId: "alice", username: "alice", password: PASSWORDS.alice });
    const echo = (options: Partial<MqttTransportOptions> = {}) =>
      connectedTransport({ ...setup.base, url: url(), clientId: "a2a-agent.acme.echo", username: "acme/echo", password: PASSWORDS["acme/echo"], ...options });

    it("round-trips a message", async () => {
      const agent = await echo();
      const client = await alice();
      const got: Array<{ payload: string; qos: number }> = [];
      await agent.subscribe("acme/echo/tasks", (m) => got.push({ payload: text(m.payload), qos: m.qos }));
      await client.publish("acme/echo/tasks", "over WebSocket");
      await waitFor(() => got.length === 1, { message: "the message over the WebSocket" });
      expect(got).toEqual([{ payload: "over WebSocket", qos: 1 }]);
    });

    it("delivers a retained message to a later subscriber", async () => {
      const agent = await echo();
      await agent.publish("discovery/acme/echo", "card", { retain: true });
      const client = await alice();
      const got: Array<{ payload: string; retain: boolean }> = [];
      await client.subscribe("discovery/acme/echo", (m) => got.push({ payload: text(m.payload), retain: m.retain }));
      await waitFor(() => got.length === 1, { message: "the retained card" });
      expect(got).toEqual([{ payload: "card", retain: true }]);
      await agent.publish("discovery/acme/echo", "", { retain: true });
    });

    it("publishes the will of a killed connection, and the transport comes back over WebSocket", async () => {
      const client = await alice();
      const got: string[] = [];
      await client.subscribe("discovery/acme/echo", (m) => got.push(text(m.payload)));
      const agent = await echo({ will: { topic: "discovery/acme/echo", payload: "offline", retain: true } });
      const back = new Promise((resolve) => agent.on("connected", resolve));
      // Destroys the socket without DISCONNECT, as a crash would.
      agent.simulateConnectionLoss();
      await waitFor(() => got.includes("offline"), { message: "the will" });
      expect(await waitFor(back, { message: "the reconnect" })).toMatchObject({ reconnected: true });
      await agent.publish("discovery/acme/echo", "online again");
      await waitFor(() => got.includes("online again"), { message: "a message after the reconnect" });
      await agent.publish("discovery/acme/echo", "", { retain: true });
    });

    it("round-trips in well under Nagle's ~40 ms, also after a reconnect (TCP_NODELAY on the WebSocket's socket)", async () => {
      const agent = await echo();
      const client = await alice();
      const topics = { request: "acme/echo/tasks", reply: "replies/alice/rtt" };
      expect(await typicalFastRoundTripMs(client, agent, topics)).toBeLessThan(20);
      const back = new Promise((resolve) => client.on("connected", resolve));
      client.simulateConnectionLoss();
      await waitFor(back, { message: "the reconnect" });
      expect(await typicalFastRoundTripMs(client, agent, topics)).toBeLessThan(20);
    });
  });
}

websocketSuite("MqttTransport over ws:// to createBroker({ wsPort })", async () => {
  const broker = await fixtureBroker({ websocket: true });
  expect(broker.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  return { broker, base: {} };
});

describe.runIf(requireOpenssl())("over TLS", () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = createTestPki({ clients: ["acme/echo"] });
  });

  websocketSuite(
    "MqttTransport over wss:// to createBroker({ wsPort, tls })",
    async () => {
      const broker = await fixtureBroker({ pki, websocket: true });
      expect(broker.wsUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
      return { broker, base: { tls: { ca: pki.ca } } };
    },
    () => pki.remove(),
  );

  describe("wss:// specifics", () => {
    let broker: Broker;
    beforeAll(async () => {
      broker = await fixtureBroker({ pki, websocket: true });
    });
    afterAll(() => broker?.close());
    afterEach(closeTransports);

    it("takes a client certificate presented over wss:// as the identity", async () => {
      const echo = await connectedTransport({ url: broker.wsUrl!, clientId: "a2a-agent.acme.echo", tls: { ca: pki.ca, ...pki.clients["acme/echo"]! } });
      await echo.subscribe("acme/echo/tasks", () => {});
      await expect(echo.subscribe("acme/other/tasks", () => {})).rejects.toMatchObject({ code: "SUBSCRIBE_FAILED" });
    });

    it("refuses a wss:// client without a certificate when certificates are required", async () => {
      const strict = await fixtureBroker({ pki, clientCertificates: "required", websocket: true });
      try {
        await expect(
          connectedTransport({ url: strict.wsUrl!, clientId: "alice", username: "alice", password: PASSWORDS.alice, tls: { ca: pki.ca } }),
        ).rejects.toMatchObject({ code: "CONNECT_FAILED", message: /requires a client certificate; pass tls\.cert and tls\.key/ });
        await expect(connectedTransport({ url: strict.wsUrl!, tls: { ca: pki.ca, ...pki.stranger } })).rejects.toMatchObject({ code: "CONNECT_FAILED" });
        const echo = await connectedTransport({ url: strict.wsUrl!, clientId: "a2a-agent.acme.echo", tls: { ca: pki.ca, ...pki.clients["acme/echo"]! } });
        await echo.subscribe("acme/echo/tasks", () => {});
      } finally {
        await closeTransports();
        await strict.close();
      }
    });

    it("fails to connect with the wrong CA, naming the URL and the TLS reason", async () => {
      const error = await connectedTransport({ url: broker.wsUrl!, username: "alice", password: PASSWORDS.alice, tls: { ca: pki.otherCa } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TransportError);
      expect((error as Error).message).toContain(broker.wsUrl!);
      expect((error as Error).message).toMatch(/self[- ]signed certificate in certificate chain.*tls\.ca/);
    });
  });
});
