import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TransportError } from "@a2a/transport";
import type { Broker, BrokerLogEntry } from "@a2a/broker";
import { createTestPki, requireOpenssl, waitFor, type TestPki } from "@a2a/testing";
import { closeTransports, connectedTransport, fixtureBroker, typicalFastRoundTripMs, PASSWORDS, text } from "./helpers.js";

// MqttTransport over mqtts:// against the embedded broker with TLS: the server
// certificate verified against a private CA, passwords over TLS, and client
// certificates whose CN is the identity the broker's ACL applies to.
describe.runIf(requireOpenssl())("MqttTransport over mqtts:// to createBroker({ tls })", () => {
  let pki: TestPki;
  let broker: Broker;
  const log: BrokerLogEntry[] = [];

  beforeAll(async () => {
    pki = createTestPki({ clients: ["acme/echo", "alice"] });
    broker = await fixtureBroker({ pki, logger: (entry) => log.push(entry) });
  });
  afterAll(async () => {
    await broker?.close();
    pki?.remove();
  });
  afterEach(closeTransports);

  it("verifies the broker against the CA and round-trips a message", async () => {
    expect(broker.url).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
    const tls = { ca: pki.ca };
    const alice = await connectedTransport({ url: broker.url, clientId: "alice", username: "alice", password: PASSWORDS.alice, tls });
    const echo = await connectedTransport({ url: broker.url, clientId: "a2a-agent.acme.echo", username: "acme/echo", password: PASSWORDS["acme/echo"], tls });
    const got: string[] = [];
    await echo.subscribe("acme/echo/tasks", (m) => got.push(text(m.payload)));
    await alice.publish("acme/echo/tasks", "over TLS");
    await waitFor(() => got.includes("over TLS"), { message: "the message over mqtts://" });
    expect(got).toEqual(["over TLS"]);
  });

  it("keeps TCP_NODELAY on TLS sockets (round trips well under Nagle's ~40 ms)", async () => {
    const tls = { ca: pki.ca };
    const echo = await connectedTransport({ url: broker.url, clientId: "a2a-agent.acme.echo", username: "acme/echo", password: PASSWORDS["acme/echo"], tls });
    const alice = await connectedTransport({ url: broker.url, clientId: "alice", username: "alice", password: PASSWORDS.alice, tls });
    // Topics the ACL allows: the client sends to the agent's tasks, the agent answers in the client's inbox.
    const fast = await typicalFastRoundTripMs(alice, echo, { request: "acme/echo/tasks", reply: "replies/alice/rtt" });
    expect(fast).toBeLessThan(20);
  });

  it("fails to connect with the wrong CA, naming the URL and the TLS reason", async () => {
    const error = await connectedTransport({ url: broker.url, username: "alice", password: PASSWORDS.alice, tls: { ca: pki.otherCa } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: "CONNECT_FAILED" });
    const message = (error as Error).message;
    expect(message).toContain(broker.url);
    expect(message).toMatch(/self[- ]signed certificate in certificate chain/);
    expect(message).toMatch(/tls\.ca/);
  });

  it("maps a client certificate's CN to its user: an agent may publish its own card, not another's", async () => {
    const watcher = await connectedTransport({ url: broker.url, clientId: "alice", username: "alice", password: PASSWORDS.alice, tls: { ca: pki.ca } });
    const cards: Array<{ topic: string; payload: string }> = [];
    await watcher.subscribe("discovery/#", (m) => cards.push({ topic: m.topic, payload: text(m.payload) }));

    // No username or password: the certificate is the login.
    const echo = await connectedTransport({ url: broker.url, clientId: "a2a-agent.acme.echo", tls: { ca: pki.ca, ...pki.clients["acme/echo"]! } });
    const denied = log.length;
    await echo.publish("discovery/acme/other", "forged card", { retain: true });
    await echo.publish("discovery/acme/echo", "own card", { retain: true });
    // One publisher's messages arrive in order: once the second is here, the first was dropped.
    await waitFor(() => cards.some((c) => c.payload === "own card"), { message: "the agent's own card" });
    expect(cards).toEqual([{ topic: "discovery/acme/echo", payload: "own card" }]);
    expect(log.slice(denied)).toMatchObject([{ kind: "publish-denied", username: "acme/echo", topic: "discovery/acme/other" }]);

    // The certificate identity also bounds what it reads.
    await expect(echo.subscribe("acme/other/tasks", () => {})).rejects.toMatchObject({ code: "SUBSCRIBE_FAILED" });
    await echo.publish("discovery/acme/echo", "", { retain: true });
  });
});
