import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestPki, freePort, requireMosquitto, requireOpenssl, type MosquittoProcess, type TestPki } from "@a2a/testing";
import { a2aRoundTrip, EXPECTED_ROUND_TRIP } from "./a2a-round-trip.js";
import { closeTransports, connectedTransport, fixtureUsers, typicalFastRoundTripMs, PASSWORDS, runExportedMosquitto } from "./helpers.js";

interface Listeners {
  port: number;
  wsPort: number;
}

/** mosquitto (MQTT 5) run from `toMosquittoConfig({ users, port, wsPort, tls })`, on free ports. */
function exportedMosquitto(tls?: (pki: TestPki) => Parameters<typeof runExportedMosquitto>[1]["tls"]) {
  const state: { listeners: Listeners; mosquitto?: MosquittoProcess; dir?: string } = { listeners: { port: 0, wsPort: 0 } };
  return {
    state,
    start: async (pki?: TestPki) => {
      state.dir = mkdtempSync(join(tmpdir(), "a2a-mosquitto-export-"));
      state.listeners = { port: await freePort(), wsPort: await freePort() };
      const options = { users: await fixtureUsers(), host: "127.0.0.1", ...state.listeners };
      const tlsOptions = pki && tls ? tls(pki) : undefined;
      state.mosquitto = await runExportedMosquitto(state.dir, tlsOptions ? { ...options, tls: tlsOptions } : options);
    },
    stop: async () => {
      await state.mosquitto?.close();
      if (state.dir) rmSync(state.dir, { recursive: true, force: true });
    },
  };
}

describe.runIf(requireMosquitto())("mosquitto configured by toMosquittoConfig()", () => {
  afterEach(closeTransports);

  describe("with a WebSocket listener (wsPort)", () => {
    const broker = exportedMosquitto();
    beforeAll(() => broker.start());
    afterAll(() => broker.stop());
    const wsUrl = () => `ws://127.0.0.1:${broker.state.listeners.wsPort}`;

    it("serves A2A over ws:// with the users and the ACL", async () => {
      const result = await a2aRoundTrip({
        agent: { broker: wsUrl(), mqtt: { username: "acme/echo", password: PASSWORDS["acme/echo"] } },
        client: { broker: wsUrl(), clientId: "alice", username: "alice", password: PASSWORDS.alice },
      });
      expect(result).toEqual(EXPECTED_ROUND_TRIP);
    });

    it("speaks MQTT 5 on the WebSocket listener and round-trips in well under Nagle's ~40 ms", async () => {
      const agent = await connectedTransport({ url: wsUrl(), username: "acme/echo", password: PASSWORDS["acme/echo"] });
      const client = await connectedTransport({ url: wsUrl(), clientId: "alice", username: "alice", password: PASSWORDS.alice });
      expect(client.capabilities.protocolVersion).toBe(5);
      expect(await typicalFastRoundTripMs(client, agent, { request: "acme/echo/tasks", reply: "replies/alice/rtt" })).toBeLessThan(20);
    });

    it("applies the ACL on the WebSocket listener", async () => {
      const agent = await connectedTransport({ url: wsUrl(), username: "acme/echo", password: PASSWORDS["acme/echo"] });
      expect((await agent.publish("discovery/acme/echo", "own card")).reasonCode).toBeLessThan(0x80);
      // PUBACK 0x87 (not authorised).
      await expect(agent.publish("discovery/acme/other", "forged card")).rejects.toMatchObject({ code: "PUBLISH_FAILED", message: /Not authorized/ });
    });
  });

  describe.runIf(requireOpenssl())("over TLS", () => {
    let pki: TestPki;
    beforeAll(() => {
      pki = createTestPki({ clients: ["acme/echo", "alice"] });
    });
    afterAll(() => pki?.remove());

    describe("with passwords (clientCertificates: off)", () => {
      const broker = exportedMosquitto((p) => ({ cafile: p.caPath, certfile: p.server.certPath, keyfile: p.server.keyPath }));
      beforeAll(() => broker.start(pki));
      afterAll(() => broker.stop());

      for (const scheme of ["mqtts", "wss"] as const) {
        it(`serves A2A over ${scheme}://`, async () => {
          const { port, wsPort } = broker.state.listeners;
          const url = `${scheme}://127.0.0.1:${scheme === "mqtts" ? port : wsPort}`;
          const result = await a2aRoundTrip({
            agent: { broker: url, mqtt: { username: "acme/echo", password: PASSWORDS["acme/echo"], tls: { ca: pki.ca } } },
            client: { broker: url, clientId: "alice", username: "alice", password: PASSWORDS.alice, mqtt: { tls: { ca: pki.ca } } },
          });
          expect(result).toEqual(EXPECTED_ROUND_TRIP);
        });
      }

      it("keeps TCP_NODELAY on its TLS listeners", async () => {
        const { port, wsPort } = broker.state.listeners;
        for (const url of [`mqtts://127.0.0.1:${port}`, `wss://127.0.0.1:${wsPort}`]) {
          const agent = await connectedTransport({ url, username: "acme/echo", password: PASSWORDS["acme/echo"], tls: { ca: pki.ca } });
          const client = await connectedTransport({ url, clientId: "alice", username: "alice", password: PASSWORDS.alice, tls: { ca: pki.ca } });
          expect(await typicalFastRoundTripMs(client, agent, { request: "acme/echo/tasks", reply: "replies/alice/rtt" })).toBeLessThan(20);
          await closeTransports();
        }
      });
    });

    describe("with required client certificates", () => {
      const broker = exportedMosquitto((p) => ({ cafile: p.caPath, certfile: p.server.certPath, keyfile: p.server.keyPath, clientCertificates: "required" }));
      beforeAll(() => broker.start(pki));
      afterAll(() => broker.stop());

      for (const scheme of ["mqtts", "wss"] as const) {
        const url = () => {
          const { port, wsPort } = broker.state.listeners;
          return `${scheme}://127.0.0.1:${scheme === "mqtts" ? port : wsPort}`;
        };

        it(`serves A2A over ${scheme}:// with the certificate CN as the user`, async () => {
          const result = await a2aRoundTrip({
            agent: { broker: url(), mqtt: { tls: { ca: pki.ca, ...pki.clients["acme/echo"]! } } },
            client: { broker: url(), clientId: "alice", mqtt: { tls: { ca: pki.ca, ...pki.clients.alice! } } },
          });
          expect(result).toEqual(EXPECTED_ROUND_TRIP);
        });

        it(`refuses a client without a certificate over ${scheme}://, and applies the ACL to the CN`, async () => {
          await expect(
            connectedTransport({ url: url(), clientId: "alice", username: "alice", password: PASSWORDS.alice, tls: { ca: pki.ca }, reconnect: { initialDelayMs: 60_000 } }),
          ).rejects.toMatchObject({ code: "CONNECT_FAILED" });
          const agent = await connectedTransport({ url: url(), tls: { ca: pki.ca, ...pki.clients["acme/echo"]! } });
          // Its own card is allowed and another's is not: the broker took the CN acme/echo as the user.
          expect((await agent.publish("discovery/acme/echo", "own card")).reasonCode).toBeLessThan(0x80);
          await expect(agent.publish("discovery/acme/other", "forged card")).rejects.toMatchObject({ code: "PUBLISH_FAILED", message: /Not authorized/ });
        });
      }
    });
  });
});
