import { afterEach, describe, expect, it } from "vitest";
import { createBroker, type BrokerLogEntry } from "../src/index.js";
import { aclSuite } from "./helpers/acl-suite.js";
import { fixtureUsers, PASSWORDS } from "./helpers/fixture-users.js";
import { closeAll, connectAs, publishOutcome, subscribeCode } from "./helpers/mqtt-clients.js";
import { waitFor } from "@a2a/testing";

aclSuite("the ACL on the embedded broker (aedes, MQTT 3.1.1)", async () => {
  const broker = await createBroker({ port: 0, users: await fixtureUsers(), logger: () => {} });
  return {
    broker: { url: broker.url, protocolVersion: 4 },
    close: () => broker.close(),
    refusedPublish: "acked",
    refusedSubscribe: "suback",
    foreignClientId: "refused",
    persistentSession: {},
    watchDisconnect: async () => {
      const gone = new Promise<void>((resolve) => broker.aedes.once("clientDisconnect", () => resolve()));
      return () => gone;
    },
  };
});

describe("the embedded broker's refusals", () => {
  afterEach(closeAll);

  it("logs who was refused what, one clear line each", async () => {
    const log: BrokerLogEntry[] = [];
    const broker = await createBroker({ port: 0, users: await fixtureUsers(), logger: (e) => log.push(e) });
    try {
      const target = { url: broker.url, protocolVersion: 4 as const };
      const echo = await connectAs(target, { username: "acme/echo", password: PASSWORDS["acme/echo"] });
      expect(await subscribeCode(echo, "acme/other/tasks")).toBe(0x80);
      expect(await publishOutcome(echo, { topic: "discovery/acme/other", payload: "x", retain: true })).toBe("acked");
      await expect(connectAs(target, { username: "alice", password: "wrong" })).rejects.toThrow(/Bad username or password/i);
      await waitFor(() => log.length >= 3);
      expect(log.map((e) => e.kind)).toEqual(["subscribe-denied", "publish-denied", "auth-failed"]);
      expect(log[0]?.message).toContain('user "acme/echo"');
      expect(log[0]?.message).toContain('"acme/other/tasks"');
      expect(log[1]?.message).toContain('"discovery/acme/other"');
      expect(log[2]?.message).toContain('user "alice"');
    } finally {
      await broker.close();
    }
  });

  it("refuses a client whose client id is not its username (its inbox is replies/{clientId}/...)", async () => {
    const log: BrokerLogEntry[] = [];
    const broker = await createBroker({ port: 0, users: await fixtureUsers(), logger: (e) => log.push(e) });
    try {
      const target = { url: broker.url, protocolVersion: 4 as const };
      await expect(connectAs(target, { username: "alice", password: PASSWORDS.alice }, { clientId: "bob" })).rejects.toThrow(/Identifier rejected/i);
      const entry = log[0];
      expect(entry?.kind === "auth-failed" ? entry.reason : undefined).toMatch(/client id/);
    } finally {
      await broker.close();
    }
  });

  it("refuses an agent with canCall whose client id is not its username (its inbox is replies/{username}/...)", async () => {
    const log: BrokerLogEntry[] = [];
    const broker = await createBroker({ port: 0, users: await fixtureUsers(), logger: (e) => log.push(e) });
    try {
      const target = { url: broker.url, protocolVersion: 4 as const };
      await expect(connectAs(target, { username: "acme.planner", password: PASSWORDS["acme.planner"] }, { clientId: "alice" })).rejects.toThrow(/Identifier rejected/i);
      const entry = log[0];
      expect(entry?.kind === "auth-failed" ? entry.reason : undefined).toMatch(/canCall must connect with its username as client id/);
      await connectAs(target, { username: "acme.planner", password: PASSWORDS["acme.planner"] });
    } finally {
      await broker.close();
    }
  });

  it("refuses an agent whose will would overwrite another agent's card", async () => {
    const broker = await createBroker({ port: 0, users: await fixtureUsers(), logger: () => {} });
    try {
      const target = { url: broker.url, protocolVersion: 4 as const };
      await expect(
        connectAs(target, { username: "acme/echo", password: PASSWORDS["acme/echo"] }, {
          will: { topic: "discovery/acme/other", payload: Buffer.from("fake"), qos: 1, retain: true },
        }),
      ).rejects.toThrow(/Not authorized/i);
    } finally {
      await broker.close();
    }
  });
});
