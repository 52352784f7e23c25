import { A2AProtocolError, type A2AClient, type AgentInfo, type AgentStats } from "@a2a/client";

/** One agent's line of `a2a agents --stats`: its counters, or why there are none. */
export interface AgentStatsRow {
  agent: string;
  stats?: AgentStats;
  /** e.g. "offline", "no stats (-32601)", "timed out". */
  missing?: string;
}

/**
 * Asks every online agent for its counters (`a2a-mqtt/GetAgentStats`), all at once,
 * each within `timeoutMs`; offline agents are not asked.
 */
export async function fetchAgentStats(
  client: A2AClient,
  agents: readonly AgentInfo[],
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<AgentStatsRow[]> {
  return Promise.all(
    agents.map(async (agent): Promise<AgentStatsRow> => {
      if (agent.status !== "online") return { agent: agent.id, missing: agent.status };
      try {
        const stats = await client.agent(agent.id).getAgentStats({ timeoutMs: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
        return { agent: agent.id, stats };
      } catch (error) {
        if (error instanceof A2AProtocolError && error.code === -32601) return { agent: agent.id, missing: "serves no stats" };
        return { agent: agent.id, missing: error instanceof Error ? error.message.split(";")[0]! : String(error) };
      }
    }),
  );
}

export const STATS_HEADER = ["AGENT", "REQUESTS", "ERRORS", "TASKS DONE", "FAILED", "RUNNING", "QUEUED", "MEMORY", "PUSH OK/FAILED", "RECONNECTS", "UP"];

/** The rows of the stats table (see {@link STATS_HEADER}). */
export function statsCells(rows: readonly AgentStatsRow[]): string[][] {
  return rows.map(({ agent, stats, missing }) => {
    if (stats === undefined) return [agent, `– (${missing ?? "no stats"})`];
    const tasks = stats.tasks;
    const done = Object.values(tasks).reduce((n, v) => n + v, 0);
    return [
      agent,
      String(stats.requests.ok + stats.requests.error),
      String(stats.requests.error),
      String(done),
      String(tasks.failed ?? 0),
      String(stats.running),
      String(stats.queued),
      stats.memoryUsedBytes === undefined ? "–" : bytes(stats.memoryUsedBytes),
      `${stats.push.delivered}/${stats.push.failed}`,
      String(stats.reconnects),
      duration(stats.uptimeSeconds),
    ];
  });
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}
