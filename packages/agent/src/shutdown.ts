import type { A2AAgent } from "./agent.js";

export interface ShutdownOptions {
  /** @default ["SIGINT", "SIGTERM"] */
  signals?: NodeJS.Signals[];
  /** Exit the process once `stop()` finished. @default true */
  exit?: boolean;
  /** Grace period handed to `stop()`. @default the agent's stopGracePeriodMs */
  gracePeriodMs?: number;
}

/**
 * Stops `agent` (clearing its retained card) on SIGINT/SIGTERM, then exits.
 * Returns a function that removes the signal handlers.
 */
export function handleShutdownSignals(agent: A2AAgent, options: ShutdownOptions = {}): () => void {
  const signals = options.signals ?? ["SIGINT", "SIGTERM"];
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    const stop = options.gracePeriodMs === undefined ? agent.stop() : agent.stop({ gracePeriodMs: options.gracePeriodMs });
    void stop
      .catch((error: unknown) => agent.logger.error({ agentId: `${agent.orgId}/${agent.agentId}`, err: error, signal }, `Stopping the agent on ${signal} failed`))
      .finally(() => {
        if (options.exit !== false) process.exit(0);
      });
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
