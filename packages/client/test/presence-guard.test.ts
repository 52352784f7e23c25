import { afterEach, describe, expect, it, vi } from "vitest";
import type { Transport, TransportEvents } from "@a2a/transport";
import { PresenceGuard } from "../src/presence-guard.js";
import type { AgentEvent } from "../src/discovery.js";

/** Just enough of a Transport to emit connection events. */
function fakeTransport() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const transport = {
    on(event: string, listener: (payload: unknown) => void) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)!.delete(listener);
    },
  } as unknown as Transport;
  const emit = <E extends keyof TransportEvents>(event: E, payload: TransportEvents[E]) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };
  return { transport, emit };
}

const event = (type: AgentEvent["type"]): AgentEvent => ({
  type,
  agent: { id: "org/a", org: "org", agent: "a", status: type === "offline" ? "offline" : "online", card: {} as AgentEvent["agent"]["card"] },
});

describe("PresenceGuard", () => {
  afterEach(() => vi.useRealTimers());

  function setup() {
    vi.useFakeTimers();
    const { transport, emit } = fakeTransport();
    const failed: string[] = [];
    let offline = false;
    // Each broker round trip stays open until the test answers or refuses it.
    const pings: Array<{ answer: () => void; refuse: () => void }> = [];
    const guard = new PresenceGuard({
      transport,
      graceMs: 1_000,
      isOffline: () => offline,
      failAgent: (id) => failed.push(id),
      pingBroker: () =>
        new Promise<void>((resolve, reject) => pings.push({ answer: resolve, refuse: () => reject(new Error("refused")) })),
    });
    const wentOffline = () => {
      offline = true;
      guard.onAgentEvent(event("offline"));
    };
    const cameBack = () => {
      offline = false;
      guard.onAgentEvent(event("online"));
    };
    return { guard, emit, failed, pings, wentOffline, cameBack };
  }

  it("fails an agent's calls as soon as the broker answers a round trip on the connection the offline card came on", async () => {
    const { guard, failed, pings, wentOffline } = setup();
    wentOffline();
    expect(pings).toHaveLength(1);
    expect(guard.judging("org/a")).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(failed).toEqual([]);
    pings[0]!.answer();
    await vi.advanceTimersByTimeAsync(0);
    expect(failed).toEqual(["org/a"]);
    expect(guard.judging("org/a")).toBe(false);
  });

  it("waits for the grace period when this client's connection drops before the broker answers (a broker shutting down sends the wills first)", async () => {
    const { guard, emit, failed, pings, wentOffline, cameBack } = setup();
    wentOffline();
    emit("disconnected", {});
    pings[0]!.answer(); // e.g. answered on the next connection: proves nothing
    emit("connected", { reconnected: true, sessionPresent: true });
    await vi.advanceTimersByTimeAsync(500);
    expect(failed).toEqual([]);
    expect(guard.judging("org/a")).toBe(true);
    cameBack();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(failed).toEqual([]);
  });

  it("fails the calls after the grace period when the agent stays offline after this client's connection dropped", async () => {
    const { emit, failed, pings, wentOffline } = setup();
    wentOffline();
    emit("disconnected", {});
    emit("connected", { reconnected: true, sessionPresent: true });
    pings[0]!.answer();
    await vi.advanceTimersByTimeAsync(999);
    expect(failed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(failed).toEqual(["org/a"]);
  });

  it("lets the grace period decide when the round trip fails", async () => {
    const { failed, pings, wentOffline } = setup();
    wentOffline();
    pings[0]!.refuse();
    await vi.advanceTimersByTimeAsync(999);
    expect(failed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(failed).toEqual(["org/a"]);
  });

  it("does not fail the calls when the agent is back online before the broker answers", async () => {
    const { failed, pings, wentOffline, cameBack } = setup();
    wentOffline();
    cameBack();
    pings[0]!.answer();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(failed).toEqual([]);
  });

  it("waits for the grace period when the offline card arrives around this client's reconnect", async () => {
    const { emit, failed, pings, wentOffline } = setup();
    emit("disconnected", {});
    wentOffline();
    emit("connected", { reconnected: true, sessionPresent: false });
    expect(pings).toEqual([]);
    await vi.advanceTimersByTimeAsync(999);
    expect(failed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(failed).toEqual(["org/a"]);
  });

  it("does not fail the calls when the agent comes back online within the grace period", async () => {
    const { emit, failed, pings, wentOffline, cameBack } = setup();
    emit("disconnected", {});
    emit("connected", { reconnected: true, sessionPresent: false });
    wentOffline();
    cameBack();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(failed).toEqual([]);
    // Long after the reconnect, offline means offline again once the broker answers.
    wentOffline();
    expect(pings).toHaveLength(1);
    pings[0]!.answer();
    await vi.advanceTimersByTimeAsync(0);
    expect(failed).toEqual(["org/a"]);
  });
});
