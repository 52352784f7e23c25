import { connect } from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestPki, freePort, requireMosquitto, requireOpenssl, type MosquittoProcess, type TestPki } from "@a2a/testing";
import { createBroker, type Broker } from "../src/index.js";
import { fixtureUsers, PASSWORDS } from "./helpers/fixture-users.js";
import { closeAll, collect, connectAs, ownClientId, publishOutcome, subscribeCode, waitForMessage } from "./helpers/mqtt-clients.js";
import { runExportedMosquitto } from "./helpers/exported-mosquitto.js";

/** Connects with plain MQTT and resolves how it ended: the broker closed it, or CONNACK came. */
function plainConnectOutcome(port: number, protocolVersion: 4 | 5): Promise<"closed" | "connected"> {
  return new Promise((resolve) => {
    const client = connect(`mqtt://127.0.0.1:${port}`, {
      protocolVersion,
      username: "alice",
      password: PASSWORDS.alice,
      clientId: "alice",
      reconnectPeriod: 0,
    });
    client.once("connect", () => {
      client.end(true);
      resolve("connected");
    });
    client.once("close", () => resolve("closed"));
    client.on("error", () => {});
  });
}

describe.runIf(requireOpenssl())("TLS and client certificates", () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = createTestPki({ clients: ["acme/echo", "alice", "mallory"] });
  });
  afterAll(() => pki.remove());
  afterEach(closeAll);

  describe("on the embedded broker", () => {
    let broker: Broker;
    beforeAll(async () => {
      broker = await createBroker({
        port: 0,
        users: await fixtureUsers(),
        tls: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca, clientCertificates: "optional" },
        logger: () => {},
      });
    });
    afterAll(() => broker.close());
    const target = () => ({ url: broker.url, protocolVersion: 4 as const, connectOptions: { ca: pki.ca } });

    it("serves mqtts:// and accepts a password over TLS", async () => {
      expect(broker.url).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
      const alice = await connectAs(target(), { username: "alice", password: PASSWORDS.alice });
      expect(await subscribeCode(alice, "replies/alice/#")).toBe(1);
    });

    it("takes a client certificate's CN as the identity the ACL applies to", async () => {
      const { key, cert } = pki.clients["acme/echo"]!;
      const echo = await connectAs(target(), {}, { key, cert, clientId: ownClientId("acme/echo") });
      expect(await subscribeCode(echo, "acme/echo/tasks")).toBe(1);
      expect(await subscribeCode(echo, "acme/other/tasks")).toBe(0x80);
      const alice = await connectAs(target(), {}, { ...pki.clients.alice!, clientId: "alice" });
      const got = collect(echo);
      await publishOutcome(alice, { topic: "acme/echo/tasks", payload: "task-over-tls" });
      await waitForMessage(got, { topic: "acme/echo/tasks", payload: "task-over-tls" });
    });

    it("refuses a certificate of an unknown user and one from an untrusted CA", async () => {
      await expect(connectAs(target(), {}, pki.clients.mallory)).rejects.toThrow(/Not authorized/i);
      // Not verified, so no identity: without a password this is a bad login.
      await expect(connectAs(target(), {}, pki.stranger)).rejects.toThrow(/Bad username or password/i);
    });

    it("refuses plain MQTT on the TLS port", async () => {
      expect(await plainConnectOutcome(broker.port, 4)).toBe("closed");
    });
  });

  describe.runIf(requireMosquitto())("exported to mosquitto with required client certificates", () => {
    let mosquitto: MosquittoProcess;
    let port: number;
    beforeAll(async () => {
      port = await freePort();
      mosquitto = await runExportedMosquitto({
        dir: pki.dir,
        export: {
          users: await fixtureUsers(),
          port,
          host: "127.0.0.1",
          tls: { cafile: pki.caPath, certfile: pki.server.certPath, keyfile: pki.server.keyPath, clientCertificates: "required" },
        },
      });
    });
    afterAll(() => mosquitto?.close());
    const target = () => ({ url: `mqtts://127.0.0.1:${port}`, protocolVersion: 5 as const, connectOptions: { ca: pki.ca } });

    it("maps the certificate CN to the user and its ACL", async () => {
      const echo = await connectAs(target(), {}, pki.clients["acme/echo"]);
      const alice = await connectAs(target(), {}, pki.clients.alice);
      const got = collect(alice);
      expect(await subscribeCode(alice, "discovery/#")).toBe(1);
      expect(await publishOutcome(echo, { topic: "discovery/acme/other", payload: "fake-card" })).toBe(0x87);
      expect(await publishOutcome(echo, { topic: "discovery/acme/echo", payload: "card-over-tls" })).toBe("acked");
      await waitForMessage(got, { topic: "discovery/acme/echo", payload: "card-over-tls" });
      expect(got.filter((m) => m.payload === "fake-card")).toEqual([]);
    });

    it("refuses a client without a certificate and plain MQTT", async () => {
      await expect(connectAs(target(), { username: "alice", password: PASSWORDS.alice })).rejects.toThrow();
      expect(await plainConnectOutcome(port, 5)).toBe("closed");
    });
  });
});
