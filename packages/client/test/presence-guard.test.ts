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
    const guard = new PresenceGuard({ transport, graceMs: 1_000, isOffline: () => offline, failAgent: (id) => failed.push(id) });
    return { guard, emit, failed, setOffline: (v: boolean) => (offline = v) };
  }

  it("fails an agent's calls at once when it goes offline while this client stays connected", () => {
    const { guard, failed } = setup();
    guard.onAgentEvent(event("offline"));
    expect(failed).toEqual(["org/a"]);
  });

  it("waits for the grace period when the offline card arrives around this client's reconnect", () => {
    const { guard, emit, failed, setOffline } = setup();
    emit("disconnected", {});
    setOffline(true);
    guard.onAgentEvent(event("offline"));
    emit("connected", { reconnected: true, sessionPresent: false });
    expect(failed).toEqual([]);
    vi.advanceTimersByTime(999);
    expect(failed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(failed).toEqual(["org/a"]);
  });

  it("does not fail the calls when the agent comes back online within the grace period", () => {
    const { guard, emit, failed, setOffline } = setup();
    emit("disconnected", {});
    emit("connected", { reconnected: true, sessionPresent: false });
    setOffline(true);
    guard.onAgentEvent(event("offline"));
    setOffline(false);
    guard.onAgentEvent(event("online"));
    vi.advanceTimersByTime(5_000);
    expect(failed).toEqual([]);
    // Long after the reconnect, offline means offline again.
    guard.onAgentEvent(event("offline"));
    expect(failed).toEqual(["org/a"]);
  });
});
