import type { MeterProvider, TracerProvider } from "@opentelemetry/api";
import type { Logger } from "@a2a/transport";

/** The options of an agent about its logs, traces, metrics and stats (docs/observability.md). */
export interface AgentObservabilityOptions {
  /**
   * A structured logger (pino-compatible: fields first, then the message); lines carry
   * `agentId`, and `taskId`, `requestId`, `traceId` where they concern one.
   * @default warn-level lines on stderr
   */
  logger?: Logger;
  /**
   * Where the agent's spans go (docs/observability.md).
   * @default the global tracer provider (no spans until the application registers an OpenTelemetry SDK)
   */
  tracerProvider?: TracerProvider;
  /** Where the agent's metrics go. @default the global meter provider */
  meterProvider?: MeterProvider;
  /**
   * Bytes in use that the `a2a.agent.memory.used` gauge and the stats report.
   * @default the bytes of the agent's memory budget in use (`agent.memoryBudget.used`)
   */
  memoryUsed?: () => number | undefined;
  /**
   * Answer `a2a-mqtt/GetAgentStats` (counters since start, as `agent.stats()` returns them)
   * to whoever may publish on the tasks topic, as the broker's ACL decides.
   * @default true
   */
  exposeStats?: boolean;
}
