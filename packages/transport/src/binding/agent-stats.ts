import { isJsonObject } from "./payload.js";

/**
 * JSON-RPC method (beyond A2A, served on the agent's tasks topic like any request)
 * answering a small snapshot of the agent's counters: docs/binding.md section 12.
 */
export const AGENT_STATS_METHOD = "a2a-mqtt/GetAgentStats";

/** What `a2a-mqtt/GetAgentStats` answers: counters since the agent started. */
export interface AgentStats {
  /** ISO 8601 time the snapshot was taken. */
  at: string;
  /** Seconds since the agent started. */
  uptimeSeconds: number;
  requests: { ok: number; error: number };
  /** Requests by JSON-RPC method (1.0 names; `_OTHER` for unknown ones). */
  byMethod: Record<string, number>;
  /** Tasks that ended, by final state (`completed`, `failed`, ...). */
  tasks: Record<string, number>;
  running: number;
  queued: number;
  /** Bytes of the agent's memory budget in use, when it reports one. */
  memoryUsedBytes?: number;
  push: { delivered: number; failed: number };
  reconnects: number;
}

const count = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;
/** Bounds a counts map from the wire: at most 64 entries with short names. */
function counts(v: unknown): Record<string, number> | undefined {
  if (!isJsonObject(v)) return undefined;
  const entries = Object.entries(v);
  if (entries.length > 64) return undefined;
  const out: Record<string, number> = {};
  for (const [name, n] of entries) {
    if (name.length > 64 || !count(n)) return undefined;
    out[name] = n;
  }
  return out;
}

/** Checks a `GetAgentStats` result from the wire; undefined when it is not one. */
export function parseAgentStats(value: unknown): AgentStats | undefined {
  if (!isJsonObject(value)) return undefined;
  const { at, uptimeSeconds, requests, byMethod, tasks, running, queued, memoryUsedBytes, push, reconnects } = value;
  if (typeof at !== "string" || at.length > 64 || !count(uptimeSeconds) || !count(running) || !count(queued) || !count(reconnects)) return undefined;
  if (!isJsonObject(requests) || !count(requests.ok) || !count(requests.error)) return undefined;
  if (!isJsonObject(push) || !count(push.delivered) || !count(push.failed)) return undefined;
  const methods = counts(byMethod);
  const states = counts(tasks);
  if (methods === undefined || states === undefined) return undefined;
  if (memoryUsedBytes !== undefined && !count(memoryUsedBytes)) return undefined;
  const stats: AgentStats = {
    at,
    uptimeSeconds,
    requests: { ok: requests.ok, error: requests.error },
    byMethod: methods,
    tasks: states,
    running,
    queued,
    push: { delivered: push.delivered, failed: push.failed },
    reconnects,
  };
  if (memoryUsedBytes !== undefined) stats.memoryUsedBytes = memoryUsedBytes;
  return stats;
}
