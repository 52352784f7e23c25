import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@a2a/testing";
import type { InboundMessage, Transport, TransportEvents, WillMessage } from "@a2a/transport";

/** What the contract needs from one implementation and its broker. */
export interface ContractHarness {
  /** A new, not yet connected transport. */
  create(options?: { clientId?: string; clean?: boolean; will?: WillMessage }): Transport;
  /** Kills the transport's connection abruptly (its will fires; it reconnects). */
  kill(transport: Transport): void;
  /** Restarts the broker, keeping sessions (persistence on). */
  restartBroker(): Promise<void>;
  close(): Promise<void>;
}

const text = (m: InboundMessage) => new TextDecoder().decode(m.payload);

/**
 * The behaviour every `Transport` must have, run unchanged against each
 * implementation (MQTT 5-only cases follow the connection's capabilities).
 */
export function abstractTransportContract(name: string, build: () => Promise<ContractHarness>): void {
  describe(`Transport contract: ${name}`, () => {
    let harness: ContractHarness;
    const open: Transport[] = [];
    let ns: string;

    beforeAll(async () => {
      harness = await build();
    });
    afterAll(async () => {
      await harness?.close();
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((t) => t.close()));
    });

    const connect = async (options?: Parameters<ContractHarness["create"]>[0]) => {
      const transport = harness.create(options);
      open.push(transport);
      await transport.connect();
      return transport;
    };
    const collect = async (transport: Transport, filter: string) => {
      const got: InboundMessage[] = [];
      await transport.subscribe(filter, (m) => got.push(m));
      return got;
    };
    const nextEvent = <E extends keyof TransportEvents>(t: Transport, event: E) =>
      new Promise<TransportEvents[E]>((resolve) => {
        const off = t.on(event, (payload) => {
          off();
          resolve(payload);
        });
      });

    it("publishes and subscribes at QoS 1", async () => {
      ns = `c-${randomUUID()}`;
      const [a, b] = [await connect(), await connect()];
      const got = await collect(b, `${ns}/t`);
      await a.publish(`${ns}/t`, new Uint8Array([0, 1, 2, 255]), { qos: 1 });
      await waitFor(() => got.length === 1, { message: "the message" });
      expect(got[0]).toMatchObject({ topic: `${ns}/t`, qos: 1, retain: false });
      expect([...got[0]!.payload]).toEqual([0, 1, 2, 255]);
      expect(a.state).toBe("connected");
      expect([4, 5]).toContain(a.capabilities.protocolVersion);
    });

    it("matches + and # wildcards", async () => {
      ns = `c-${randomUUID()}`;
      const [a, b] = [await connect(), await connect()];
      const plus = await collect(b, `${ns}/+/x`);
      const hash = await collect(b, `${ns}/#`);
      for (const topic of ["a/x", "a/b/x", "a/y", "end"]) await a.publish(`${ns}/${topic}`, topic);
      await waitFor(() => hash.some((m) => text(m) === "end"), { message: "the end marker" });
      expect(plus.map(text)).toEqual(["a/x"]);
      expect(hash.map(text)).toEqual(["a/x", "a/b/x", "a/y", "end"]);
    });

    it("delivers once to each local subscription when filters overlap", async () => {
      ns = `c-${randomUUID()}`;
      const [a, b] = [await connect(), await connect()];
      const one = await collect(b, `${ns}/o/+`);
      const two = await collect(b, `${ns}/o/#`);
      const three = await collect(b, `${ns}/o/+`);
      await a.publish(`${ns}/o/1`, "first");
      await a.publish(`${ns}/o/1`, "end");
      await waitFor(() => [one, two, three].every((g) => g.some((m) => text(m) === "end")), { message: "end everywhere" });
      for (const got of [one, two, three]) expect(got.map(text)).toEqual(["first", "end"]);
    });

    it("sets and clears retained messages", async () => {
      ns = `c-${randomUUID()}`;
      const a = await connect();
      await a.publish(`${ns}/r/card`, "card-v1", { retain: true });
      await a.publish(`${ns}/r/card`, "card-v2", { retain: true });
      const early = await connect();
      const first = await collect(early, `${ns}/r/+`);
      await waitFor(() => first.length === 1, { message: "the retained card" });
      expect(first[0]).toMatchObject({ retain: true, topic: `${ns}/r/card` });
      expect(text(first[0]!)).toBe("card-v2");

      await a.publish(`${ns}/r/card`, "", { retain: true });
      await a.publish(`${ns}/r/marker`, "marker", { retain: true });
      const late = await connect();
      const second = await collect(late, `${ns}/r/+`);
      await a.publish(`${ns}/r/live`, "live");
      await waitFor(() => second.some((m) => text(m) === "live"), { message: "the live message" });
      expect(second.map((m) => [text(m), m.retain])).toEqual([["marker", true], ["live", false]]);
      await a.publish(`${ns}/r/marker`, "", { retain: true });
    });

    it("publishes the will when the connection is killed, not on close()", async () => {
      ns = `c-${randomUUID()}`;
      const watcher = await connect();
      const wills = await collect(watcher, `${ns}/will/+`);
      const dying = await connect({ will: { topic: `${ns}/will/dying`, payload: "gone", qos: 1 } });
      const polite = await connect({ will: { topic: `${ns}/will/polite`, payload: "gone", qos: 1 } });
      const disconnected = nextEvent(dying, "disconnected");
      const reconnected = nextEvent(dying, "connected");
      harness.kill(dying);
      await waitFor(() => wills.length === 1, { message: "the will" });
      expect(wills[0]).toMatchObject({ topic: `${ns}/will/dying` });
      expect(text(wills[0]!)).toBe("gone");
      await waitFor(disconnected, { message: "the disconnected event" });
      expect(await waitFor(reconnected, { message: "the reconnect" })).toMatchObject({ reconnected: true });

      await polite.close();
      await watcher.publish(`${ns}/will/marker`, "marker");
      await waitFor(() => wills.length === 2, { message: "the marker" });
      expect(wills.map((m) => m.topic)).toEqual([`${ns}/will/dying`, `${ns}/will/marker`]);
    });

    it("delivers QoS 1 across a broker restart with a persistent session", async () => {
      ns = `c-${randomUUID()}`;
      const clientId = `p-${randomUUID().slice(0, 8)}`;
      const publisher = await connect({ clean: true });
      const first = await connect({ clientId, clean: false });
      await first.subscribe(`${ns}/q`, () => {}, { qos: 1 });
      await first.close();
      await publisher.publish(`${ns}/q`, "while-offline", { qos: 1 });

      const publisherBack = nextEvent(publisher, "connected");
      await harness.restartBroker();
      await waitFor(publisherBack, { message: "the publisher's reconnect", timeoutMs: 10_000 });

      const resumed = harness.create({ clientId, clean: false });
      open.push(resumed);
      const resumedEvent = nextEvent(resumed, "connected");
      await resumed.connect();
      expect(await resumedEvent).toMatchObject({ sessionPresent: true });
      const got = await collect(resumed, `${ns}/q`);
      await waitFor(() => got.length === 1, { message: "the message queued while offline" });
      expect(text(got[0]!)).toBe("while-offline");
      // A broker restarted before it read the delivery's PUBACK delivers it again (QoS 1
      // is at least once); a publish of ours acknowledged means it read what came before.
      await resumed.publish(`${ns}/sync`, "sync", { qos: 1 });

      // Connected through a second restart: the session (and subscription) survive.
      const back = nextEvent(resumed, "connected");
      await harness.restartBroker();
      await waitFor(back, { message: "the subscriber's reconnect", timeoutMs: 10_000 });
      await waitFor(() => publisher.state === "connected", { message: "the publisher's reconnect", timeoutMs: 10_000 });
      await publisher.publish(`${ns}/q`, "after-restart", { qos: 1 });
      await waitFor(() => got.length === 2, { message: "the message after the restart" });
      expect(text(got[1]!)).toBe("after-restart");
    });

    it("carries MQTT 5 properties where the broker speaks MQTT 5, and drops them elsewhere", async () => {
      ns = `c-${randomUUID()}`;
      const [a, b] = [await connect(), await connect()];
      const got = await collect(b, `${ns}/p`);
      const properties = {
        responseTopic: `${ns}/reply`,
        correlationData: new Uint8Array([9, 8, 7]),
        userProperties: { "A2A-Version": "1.0", k: "v" },
        contentType: "application/json",
        messageExpiryInterval: 60,
      };
      const result = await a.publish(`${ns}/p`, "{}", { properties });
      await waitFor(() => got.length === 1, { message: "the message" });
      const received = got[0]!.properties;
      if (a.capabilities.messageProperties && b.capabilities.messageProperties) {
        expect(result.reasonCode).toBe(0);
        expect(received.responseTopic).toBe(properties.responseTopic);
        expect([...(received.correlationData ?? [])]).toEqual([9, 8, 7]);
        expect(received.userProperties).toEqual(properties.userProperties);
        expect(received.contentType).toBe("application/json");
        expect(received.messageExpiryInterval).toBeGreaterThan(0);
        expect(received.messageExpiryInterval).toBeLessThanOrEqual(60);
      } else {
        expect(result.reasonCode).toBeUndefined();
        expect(received).toEqual({});
      }
    });

    it("reports PUBACK 'no matching subscribers' where the broker speaks MQTT 5", async () => {
      ns = `c-${randomUUID()}`;
      const a = await connect();
      const result = await a.publish(`${ns}/nobody`, "x", { qos: 1 });
      if (a.capabilities.protocolVersion === 5) expect(result.reasonCode).toBe(0x10);
      else expect(result).toEqual({});
    });

    it("delivers a shared subscription's message to one member only, where supported", async () => {
      ns = `c-${randomUUID()}`;
      const a = await connect();
      const members = [await connect(), await connect()];
      if (!a.capabilities.sharedSubscriptions) {
        expect(a.capabilities.protocolVersion).toBe(4);
        return;
      }
      const got = await Promise.all(members.map((m) => collect(m, `$share/g/${ns}/s/+`)));
      for (let i = 0; i < 10; i++) await a.publish(`${ns}/s/${i}`, String(i));
      await waitFor(() => got[0]!.length + got[1]!.length === 10, { message: "ten deliveries" });
      const all = [...got[0]!, ...got[1]!].map(text).sort((x, y) => Number(x) - Number(y));
      expect(all).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
      expect(got[0]!.length).toBeGreaterThan(0);
      expect(got[1]!.length).toBeGreaterThan(0);
    });

    it("streams messages in order as an async iterable and unsubscribes on leaving", async () => {
      ns = `c-${randomUUID()}`;
      const [a, b] = [await connect(), await connect()];
      const stream = await b.stream(`${ns}/st`);
      const other = await collect(b, `${ns}/st`);
      const sent = Array.from({ length: 50 }, (_, i) => String(i));
      for (const s of sent) await a.publish(`${ns}/st`, s);
      const got: string[] = [];
      for await (const m of stream) {
        got.push(text(m));
        if (got.length === sent.length) break;
      }
      expect(got).toEqual(sent);
      // The other local subscription to the same filter keeps receiving.
      await a.publish(`${ns}/st`, "after");
      await waitFor(() => other.some((m) => text(m) === "after"), { message: "delivery after the stream left" });
    });
  });
}
