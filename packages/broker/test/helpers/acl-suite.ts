import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { IClientOptions, MqttClient } from "mqtt";
import { closeAll, collect, connectAs, ownClientId, publishOutcome, subscribeCode, waitForMessage, type BrokerUnderTest } from "./mqtt-clients.js";
import { PASSWORDS, type FixtureUser } from "./fixture-users.js";

export interface AclSuiteTarget {
  broker: BrokerUnderTest;
  close(): Promise<void>;
  /** What a refused (dropped) QoS 1 publish looks like to the publisher. */
  refusedPublish: "acked" | number;
  /**
   * How a forbidden SUBSCRIBE is refused: `"suback"` (failure code 0x80 or more), or
   * `"delivery"` (granted, but no message the user may not read is ever delivered; what
   * mosquitto's acl_file does).
   */
  refusedSubscribe: "suback" | "delivery";
  /**
   * What a CONNECT with a client id that belongs to another user gets: `"refused"`
   * (identifier rejected), or `"own-id"` (accepted under the user's own id, what
   * mosquitto's `use_username_as_clientid` does). Either way the owner's session is untouched.
   */
  foreignClientId: "refused" | "own-id";
  /** Connect options that keep a session while offline (MQTT 5 needs a session expiry). */
  persistentSession: IClientOptions;
  /**
   * Starts watching for the broker to see the connection of `username` end; the returned
   * function waits for it. (Watching starts before the connection is cut.)
   */
  watchDisconnect(username: string): Promise<() => Promise<void>>;
}

/**
 * The same allowed/forbidden operations against any broker running the policy for the
 * users of `fixtureUsers()`: every allowed one must work, every forbidden one must be
 * refused (SUBACK failure) or dropped (checked by an admin subscriber after a sentinel).
 */
export function aclSuite(name: string, start: () => Promise<AclSuiteTarget>): void {
  describe(name, () => {
    let target: AclSuiteTarget;
    const as = (user: FixtureUser, options = {}, beforeConnect?: (client: MqttClient) => void) =>
      connectAs(target.broker, { username: user, password: PASSWORDS[user] }, { ...options, beforeConnect });

    beforeAll(async () => {
      target = await start();
    });
    afterEach(closeAll);
    afterAll(async () => {
      await target?.close();
    });

    /**
     * Subscribes `client` to each forbidden filter and checks the refusal: a failure
     * SUBACK, or (for brokers that filter on delivery) that messages an admin publishes
     * on the probe topics never arrive, while a later sentinel on an allowed topic does.
     */
    async function expectCannotRead(
      client: Awaited<ReturnType<typeof as>>,
      filters: string[],
      check: { probes: string[]; sentinel: string },
    ): Promise<void> {
      for (const filter of filters) {
        const code = await subscribeCode(client, filter);
        if (target.refusedSubscribe === "suback") expect(code, `SUBACK for ${filter}`).toBeGreaterThanOrEqual(0x80);
      }
      const got = collect(client);
      expect(await subscribeCode(client, check.sentinel)).toBe(1);
      const root = await as("root");
      for (const probe of check.probes) await publishOutcome(root, { topic: probe, payload: "probe" });
      await publishOutcome(root, { topic: check.sentinel, payload: "sentinel" });
      await waitForMessage(got, { topic: check.sentinel, payload: "sentinel" });
      expect(got.filter((m) => m.payload === "probe")).toEqual([]);
    }

    it("lets an agent publish its card, results and replies, and read its own tasks", async () => {
      const root = await as("root");
      const seen = collect(root);
      expect(await subscribeCode(root, "#")).toBe(1);

      const echo = await as("acme/echo");
      const alice = await as("alice");
      const aliceGot = collect(alice);
      const echoGot = collect(echo);
      expect(await subscribeCode(alice, "replies/alice/#")).toBe(1);
      expect(await subscribeCode(echo, "acme/echo/tasks")).toBe(1);

      expect(await publishOutcome(echo, { topic: "discovery/acme/echo", payload: "card-echo", retain: true })).toBe("acked");
      expect(await publishOutcome(echo, { topic: "acme/echo/results", payload: "result-1" })).toBe("acked");
      expect(await publishOutcome(echo, { topic: "replies/alice/inbox-1", payload: "reply-1" })).toBe("acked");
      expect(await publishOutcome(alice, { topic: "acme/echo/tasks", payload: "task-1" })).toBe("acked");

      await waitForMessage(seen, { topic: "discovery/acme/echo", payload: "card-echo" });
      await waitForMessage(seen, { topic: "acme/echo/results", payload: "result-1" });
      await waitForMessage(aliceGot, { topic: "replies/alice/inbox-1", payload: "reply-1" });
      await waitForMessage(echoGot, { topic: "acme/echo/tasks", payload: "task-1" });
    });

    it("lets a client read discovery (retained cards included) and its own replies only", async () => {
      const echo = await as("acme/echo");
      await publishOutcome(echo, { topic: "discovery/acme/echo", payload: "card-for-discovery", retain: true });
      const alice = await as("alice");
      const got = collect(alice);
      expect(await subscribeCode(alice, "discovery/#")).toBe(1);
      await waitForMessage(got, { topic: "discovery/acme/echo", payload: "card-for-discovery" });

      const bob = await as("bob");
      await expectCannotRead(bob, ["replies/alice/#", "replies/+/+", "#", "acme/echo/tasks", "acme/echo/results"], {
        probes: ["replies/alice/inbox-1", "acme/echo/tasks", "acme/echo/results"],
        sentinel: "replies/bob/sentinel",
      });
    });

    it("refuses an agent reading another agent's tasks, wildcards over tasks, or replies", async () => {
      const echo = await as("acme/echo");
      await expectCannotRead(echo, ["acme/other/tasks", "acme/+/tasks", "acme/#", "replies/#", "replies/alice/inbox-1"], {
        probes: ["acme/other/tasks", "acme/other/results", "replies/alice/inbox-1"],
        sentinel: "acme/echo/tasks",
      });
    });

    it("drops forbidden publishes: another agent's card or tasks, a client's card, results or another inbox", async () => {
      const root = await as("root");
      const seen = collect(root);
      expect(await subscribeCode(root, "#")).toBe(1);
      const echo = await as("acme/echo");
      const alice = await as("alice");

      const forbidden: Array<[typeof echo, string]> = [
        [echo, "discovery/acme/other"],
        [echo, "acme/other/results"],
        [echo, "acme/other/tasks"],
        [alice, "discovery/acme/echo"],
        [alice, "acme/echo/results"],
        [alice, "replies/bob/inbox-1"],
        [alice, "discovery/acme/tasks"],
        [alice, "replies/bob/tasks"],
      ];
      for (const [client, topic] of forbidden) {
        expect(await publishOutcome(client, { topic, payload: "forbidden" })).toBe(target.refusedPublish);
      }
      // Sentinels on allowed topics, sent after the forbidden ones on the same connections:
      // once they arrive, a forbidden message would have arrived before them.
      await publishOutcome(echo, { topic: "acme/echo/results", payload: "sentinel-echo" });
      await publishOutcome(alice, { topic: "acme/echo/tasks", payload: "sentinel-alice" });
      await waitForMessage(seen, { topic: "acme/echo/results", payload: "sentinel-echo" });
      await waitForMessage(seen, { topic: "acme/echo/tasks", payload: "sentinel-alice" });
      expect(seen.filter((m) => m.payload === "forbidden")).toEqual([]);
    });

    it("lets an agent with canCall serve its tasks and call other agents on one connection", async () => {
      const echo = await as("acme/echo");
      const echoGot = collect(echo);
      expect(await subscribeCode(echo, "acme/echo/tasks")).toBe(1);
      await publishOutcome(echo, { topic: "discovery/acme/echo", payload: "card-for-planner", retain: true });

      const planner = await as("acme.planner");
      const plannerGot = collect(planner);
      expect(await subscribeCode(planner, "acme/planner/tasks")).toBe(1);
      expect(await subscribeCode(planner, "replies/acme.planner/#")).toBe(1);
      expect(await subscribeCode(planner, "discovery/#")).toBe(1);
      await waitForMessage(plannerGot, { topic: "discovery/acme/echo", payload: "card-for-planner" });
      expect(await publishOutcome(planner, { topic: "discovery/acme/planner", payload: "card-planner", retain: true })).toBe("acked");

      // It calls echo, and echo's reply reaches its inbox.
      expect(await publishOutcome(planner, { topic: "acme/echo/tasks", payload: "task-from-planner" })).toBe("acked");
      await waitForMessage(echoGot, { topic: "acme/echo/tasks", payload: "task-from-planner" });
      await publishOutcome(echo, { topic: "replies/acme.planner/inbox-1", payload: "reply-to-planner" });
      await waitForMessage(plannerGot, { topic: "replies/acme.planner/inbox-1", payload: "reply-to-planner" });
      // And it still takes its own tasks.
      const alice = await as("alice");
      await publishOutcome(alice, { topic: "acme/planner/tasks", payload: "task-for-planner" });
      await waitForMessage(plannerGot, { topic: "acme/planner/tasks", payload: "task-for-planner" });
    });

    it("keeps an agent with canCall from other clients' replies, other agents' tasks and cards", async () => {
      const root = await as("root");
      const seen = collect(root);
      expect(await subscribeCode(root, "#")).toBe(1);
      const planner = await as("acme.planner");
      for (const topic of ["discovery/acme/echo", "discovery/acme/tasks", "acme/echo/results"]) {
        expect(await publishOutcome(planner, { topic, payload: "forbidden" }), topic).toBe(target.refusedPublish);
      }
      await publishOutcome(planner, { topic: "acme/planner/results", payload: "sentinel-planner" });
      await waitForMessage(seen, { topic: "acme/planner/results", payload: "sentinel-planner" });
      expect(seen.filter((m) => m.payload === "forbidden")).toEqual([]);

      await expectCannotRead(planner, ["replies/alice/#", "acme/echo/tasks", "acme/+/tasks"], {
        probes: ["replies/alice/inbox-1", "acme/echo/tasks"],
        sentinel: "replies/acme.planner/sentinel",
      });
      // A plain agent has none of these rights.
      const echo = await as("acme/echo");
      expect(await publishOutcome(echo, { topic: "acme/planner/tasks", payload: "forbidden" })).toBe(target.refusedPublish);
      await expectCannotRead(echo, ["discovery/#"], { probes: ["discovery/acme/probe"], sentinel: "acme/echo/tasks" });
    });

    it("keeps an agent from taking over another agent's session: the owner is not kicked and its queued requests survive", async () => {
      const victimId = ownClientId("acme/echo");
      const session = { ...target.persistentSession, clean: false, clientId: victimId };
      const victim = await as("acme/echo", session);
      expect(await subscribeCode(victim, "acme/echo/tasks")).toBe(1);
      await victim.endAsync();

      const alice = await as("alice");
      for (let i = 0; i < 5; i++) await publishOutcome(alice, { topic: "acme/echo/tasks", payload: `queued-${i}` });
      // The attack: another agent's user with the victim's client id and a clean start,
      // which would discard the session and the five queued requests.
      const attempt = () =>
        as("acme/other", { clientId: victimId, clean: true }).then(
          () => "own-id",
          () => "refused",
        );
      expect(await attempt()).toBe(target.foreignClientId);

      let got: ReturnType<typeof collect> = [];
      const back = await as("acme/echo", session, (client) => (got = collect(client)));
      for (let i = 0; i < 5; i++) await waitForMessage(got, { topic: "acme/echo/tasks", payload: `queued-${i}` });
      // And while the owner is online, the same attempt does not disconnect it.
      let kicked = false;
      back.on("close", () => (kicked = true));
      expect(await attempt()).toBe(target.foreignClientId);
      await publishOutcome(alice, { topic: "acme/echo/tasks", payload: "after-attempt" });
      await waitForMessage(got, { topic: "acme/echo/tasks", payload: "after-attempt" });
      expect(kicked).toBe(false);
      await back.endAsync();
      // Leave no persistent session behind for the other tests.
      await (await as("acme/echo", { clean: true, clientId: victimId })).endAsync();
    });

    it("refuses a client id that is not the user's own on the embedded broker, and never lets one user act as another", async () => {
      for (const [user, clientId] of [
        ["alice", "bob"],
        ["acme/echo", "alice"],
        ["acme/echo", ownClientId("acme/other")],
        ["acme.planner", ownClientId("acme/echo")],
      ] as const) {
        const outcome = await as(user, { clientId }).then(
          async (client) => {
            // Accepted under its own id: it still reads only its own inbox.
            await client.endAsync();
            return "own-id";
          },
          () => "refused",
        );
        expect(outcome, `${user} as ${clientId}`).toBe(target.foreignClientId);
      }
      // An agent may serve as one instance of a pool under its own id.
      await as("acme/echo", { clientId: `${ownClientId("acme/echo")}/instance-2` });
    });

    it("refuses a bad password and an unknown user", async () => {
      await expect(connectAs(target.broker, { username: "alice", password: "wrong" })).rejects.toThrow();
      await expect(connectAs(target.broker, { username: "mallory", password: "whatever" })).rejects.toThrow();
      await expect(connectAs(target.broker, {})).rejects.toThrow();
    });

    it("publishes an agent's will (the offline card on its own discovery topic) when it vanishes", async () => {
      const root = await as("root");
      const seen = collect(root);
      expect(await subscribeCode(root, "discovery/#")).toBe(1);
      const echo = await as("acme/echo", {
        will: { topic: "discovery/acme/echo", payload: Buffer.from("card-offline"), qos: 1, retain: true },
      });
      echo.stream.destroy();
      await waitForMessage(seen, { topic: "discovery/acme/echo", payload: "card-offline" });
    });

    it("never delivers a will that would overwrite another agent's card", async () => {
      const root = await as("root");
      const seen = collect(root);
      expect(await subscribeCode(root, "discovery/#")).toBe(1);
      const will = { topic: "discovery/acme/other", payload: Buffer.from("fake-offline-card"), qos: 1 as const, retain: true };
      const outcome = await as("acme/echo", { will }).then(
        async (client) => {
          const gone = await target.watchDisconnect("acme/echo");
          client.stream.destroy();
          await gone();
          return "connected";
        },
        () => "refused",
      );
      // Either way, the will must not have gone out: a later allowed will arrives alone.
      const other = await as("acme/other", {
        will: { topic: "discovery/acme/other", payload: Buffer.from("real-offline-card"), qos: 1, retain: true },
      });
      other.stream.destroy();
      await waitForMessage(seen, { topic: "discovery/acme/other", payload: "real-offline-card" });
      expect(seen.filter((m) => m.payload === "fake-offline-card")).toEqual([]);
      expect(["connected", "refused"]).toContain(outcome);
    });
  });
}
