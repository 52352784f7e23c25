import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestPki, freePort, requireMosquitto, requireOpenssl, waitFor, type MosquittoProcess, type TestPki } from "@a2a/testing";
import { createBroker, toMosquittoConfig, type Broker, type BrokerLogEntry } from "../src/index.js";
import { fixtureUsers, PASSWORDS } from "./helpers/fixture-users.js";
import { closeAll, collect, connectAs, subscribeCode, waitForMessage } from "./helpers/mqtt-clients.js";
import { runExportedMosquitto } from "./helpers/exported-mosquitto.js";
import { connectPacket, publishHeader, rawConnect, writeZeros, type RawConnection } from "./helpers/raw-mqtt.js";

const MiB = 1024 * 1024;

type Closed = Extract<BrokerLogEntry, { kind: "connection-closed" }>;

/** Waits for the broker to close `connection` while up to `bytes` more are written to it. */
async function closedWhileWriting(connection: RawConnection, bytes: number): Promise<number> {
  const written = await writeZeros(connection, bytes);
  await waitFor(connection.closed, { timeoutMs: 5_000, message: "the broker closing the connection" });
  return written;
}

/** Logs in as alice over a raw stream and waits for a successful CONNACK. */
async function rawLogin(url: string, ca?: string): Promise<RawConnection> {
  const connection = await rawConnect(url, ca ? { ca } : {});
  connection.stream.write(connectPacket("alice", "alice", PASSWORDS.alice));
  const connack = await waitFor(() => (connection.received().length >= 4 ? connection.received() : undefined), { message: "CONNACK" });
  expect([...connack.subarray(0, 4)]).toEqual([0x20, 0x02, 0x00, 0x00]);
  return connection;
}

describe("packet size limits of the embedded broker, below aedes", () => {
  let broker: Broker;
  const log: BrokerLogEntry[] = [];
  const closedLog = (from: number) => log.slice(from).filter((e): e is Closed => e.kind === "connection-closed");

  beforeAll(async () => {
    broker = await createBroker({ port: 0, wsPort: 0, users: await fixtureUsers(), logger: (entry) => log.push(entry) });
  });
  afterAll(() => broker.close());
  afterEach(closeAll);

  for (const listener of ["tcp", "websocket"] as const) {
    const url = () => (listener === "tcp" ? broker.url : broker.wsUrl!);

    it(`closes a connection whose first packet announces a 256 MB PUBLISH, having read at most 64 KiB (${listener})`, async () => {
      const from = log.length;
      const connection = await rawConnect(url());
      connection.stream.write(publishHeader("acme/echo/tasks", 256 * MiB));
      await closedWhileWriting(connection, 8 * MiB);
      const [entry] = closedLog(from);
      expect(entry?.reason).toMatch(/first packet \(type 3\) is not CONNECT/);
      expect(entry!.bytesRead).toBeLessThanOrEqual(64 * 1024);
    });

    it(`closes a connection whose CONNECT announces 256 MB before reading it (${listener})`, async () => {
      const from = log.length;
      const connection = await rawConnect(url());
      connection.stream.write(Buffer.from([0x10, 0x80, 0x80, 0x80, 0x01]));
      await closedWhileWriting(connection, 8 * MiB);
      const [entry] = closedLog(from);
      expect(entry?.reason).toMatch(/packet before login of \d+ bytes is over the limit of 65536 bytes/);
      expect(entry!.bytesRead).toBeLessThanOrEqual(64 * 1024);
    });

    it(`closes a logged-in connection announcing a 100 MB PUBLISH before buffering its body (${listener})`, async () => {
      const from = log.length;
      const connection = await rawLogin(url());
      connection.stream.write(publishHeader("acme/echo/tasks", 100 * MiB));
      await closedWhileWriting(connection, 16 * MiB);
      const [entry] = closedLog(from);
      expect(entry?.reason).toMatch(/a packet of \d+ bytes is over the limit of 1114112 bytes/);
      // The CONNECT and the first chunk of the PUBLISH, never its 100 MB.
      expect(entry!.bytesRead).toBeLessThanOrEqual(128 * 1024);
    });

    it(`delivers a 1 MiB request, the agent's largest (${listener})`, async () => {
      const target = { url: url(), protocolVersion: 4 as const };
      const echo = await connectAs(target, { username: "acme/echo", password: PASSWORDS["acme/echo"] });
      const got = collect(echo);
      expect(await subscribeCode(echo, "acme/echo/tasks")).toBe(1);
      const alice = await connectAs(target, { username: "alice", password: PASSWORDS.alice });
      const payload = "x".repeat(MiB);
      await alice.publishAsync("acme/echo/tasks", payload, { qos: 1 });
      await waitForMessage(got, { topic: "acme/echo/tasks", payload: payload });
    });
  }

  it("refuses other limits as configured: a packet over maxPacketSize closes, one under it passes", async () => {
    const small = await createBroker({ port: 0, users: await fixtureUsers(), maxPacketSize: 10_000, logger: () => {} });
    try {
      const target = { url: small.url, protocolVersion: 4 as const };
      const echo = await connectAs(target, { username: "acme/echo", password: PASSWORDS["acme/echo"] });
      const got = collect(echo);
      expect(await subscribeCode(echo, "acme/echo/tasks")).toBe(1);
      const alice = await connectAs(target, { username: "alice", password: PASSWORDS.alice });
      await alice.publishAsync("acme/echo/tasks", "a".repeat(9_000), { qos: 1 });
      await waitForMessage(got, { topic: "acme/echo/tasks", payload: "a".repeat(9_000) });
      const closed = new Promise<void>((resolve) => alice.once("close", () => resolve()));
      alice.publish("acme/echo/tasks", "b".repeat(10_001), { qos: 1 });
      await waitFor(closed, { message: "the broker closing the connection of the oversized publish" });
    } finally {
      await closeAll();
      await small.close();
    }
  });
});

describe.runIf(requireOpenssl())("packet size limits on the TLS listener", () => {
  let pki: TestPki;
  let broker: Broker;
  const log: BrokerLogEntry[] = [];
  beforeAll(async () => {
    pki = createTestPki();
    broker = await createBroker({
      port: 0,
      users: await fixtureUsers(),
      tls: { key: pki.server.key, cert: pki.server.cert },
      logger: (entry) => log.push(entry),
    });
  });
  afterAll(async () => {
    await broker?.close();
    pki?.remove();
  });

  it("closes an oversized first packet and an oversized PUBLISH after login", async () => {
    const first = await rawConnect(broker.url, { ca: pki.ca });
    first.stream.write(publishHeader("acme/echo/tasks", 256 * MiB));
    await closedWhileWriting(first, 4 * MiB);

    const loggedIn = await rawLogin(broker.url, pki.ca);
    loggedIn.stream.write(publishHeader("acme/echo/tasks", 100 * MiB));
    await closedWhileWriting(loggedIn, 8 * MiB);

    const entries = log.filter((e): e is Closed => e.kind === "connection-closed");
    expect(entries.map((e) => e.bytesRead <= 128 * 1024)).toEqual([true, true]);
  });
});

describe("the same max_packet_size in the mosquitto export", () => {
  it("writes the embedded broker's limit, or the one given", async () => {
    const users = await fixtureUsers();
    expect(toMosquittoConfig({ users }).conf).toMatch(/^max_packet_size 1114112$/m);
    expect(toMosquittoConfig({ users, maxPacketSize: 50_000 }).conf).toMatch(/^max_packet_size 50000$/m);
    expect(() => toMosquittoConfig({ users, maxPacketSize: 1.5 })).toThrow(/maxPacketSize must be a whole number/);
  });

  describe.runIf(requireMosquitto())("on mosquitto", () => {
    let dir: string;
    let port: number;
    let mosquitto: MosquittoProcess;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "a2a-broker-packet-size-"));
      port = await freePort();
      mosquitto = await runExportedMosquitto({ dir, export: { users: await fixtureUsers(), port, host: "127.0.0.1" } });
    });
    afterAll(async () => {
      await mosquitto?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it("closes a logged-in connection announcing a 100 MB PUBLISH", async () => {
      const connection = await rawLogin(`mqtt://127.0.0.1:${port}`);
      connection.stream.write(publishHeader("acme/echo/tasks", 100 * MiB));
      await closedWhileWriting(connection, 16 * MiB);
    });
  });
});
