import type { createTopicScheme, Transport } from "@a2a/transport";
import { AGENT_STATS_METHOD, type AgentStats, type DecodedRequest, type ReplyRoute } from "@a2a/transport/binding";
import type { A2AAgentOptions } from "./agent-options.js";
import { BoundedCache } from "./bounded-cache.js";
import { CompactRequestHandler } from "./compact.js";
import { defaultHandlers } from "./handlers/index.js";
import type { MemoryBudget } from "./memory-budget.js";
import type { OperationHandlers } from "./operation.js";
import type { RequestGuard } from "./emqx/request-guard.js";
import type { PoolMembership } from "./pool.js";
import { replyRoutePrincipal, type Principal } from "./principal.js";
import { Replier } from "./replier.js";
import { RequestDispatcher, type CachedOutcome } from "./request-dispatcher.js";
import type { AgentServices } from "./services.js";
import type { TaskStore } from "./task-store.js";
import type { ReplyObserver } from "./telemetry/agent-telemetry.js";

export interface RequestIntakeOptions {
  services: AgentServices;
  budget: MemoryBudget;
  transport: Transport;
  options: A2AAgentOptions;
  /** The agent's one reply cache, shared by every connection it serves (`sharedReplyMemory`). */
  cache: BoundedCache<CachedOutcome>;
  pool: PoolMembership | undefined;
  topics: ReturnType<typeof createTopicScheme>;
  resultsTopic: string;
  /** The agent's counters, answered to `a2a-mqtt/GetAgentStats` unless `exposeStats` is false. */
  stats: () => AgentStats;
  /** Checks each request's bearer token first (`bearerAuth`); its principal then owns the tasks. */
  guard?: RequestGuard | undefined;
  onError: (error: unknown) => void;
  /** Who sent a request with this route; default: the owner of the reply route in `topics`. */
  principalOf?: (route: ReplyRoute) => Principal | undefined;
  /**
   * Streams batch their frames for requests that activate the frame-batch extension
   * (docs/binding.md section 5.2). The EMQX profile's wire has no batches.
   * @default true
   */
  frameBatches?: boolean;
}

/** Serves one decoded request: answers it, or runs it through its handler. */
export type RequestIntake = (decoded: DecodedRequest, observer: ReplyObserver) => Promise<void>;

/**
 * The request paths of a connected agent, JSON-RPC and the seed's compact format,
 * sharing one reply cache, one budgeted reply transport and one set of agent services.
 */
/**
 * The memory the request paths of one agent share, made once per agent so that a second
 * connection (the EMQX profile's) stays within the same `dedupMax*` bounds: the budget,
 * the options and the one reply cache.
 */
export function sharedReplyMemory(shared: { budget: MemoryBudget; options: A2AAgentOptions; taskStore: TaskStore }): Pick<RequestIntakeOptions, "budget" | "options" | "cache"> {
  const { budget, options } = shared;
  const cache = new BoundedCache<CachedOutcome>({
    maxEntries: options.dedupMaxEntries ?? 10_000,
    ttlMs: options.dedupWindowMs ?? 600_000,
    maxWeight: options.dedupMaxBytes ?? 64 * 1024 * 1024,
    weightOf: outcomeBytes,
    memoryBudget: budget,
  });
  // Remembered replies give memory back first (they only spare re-running a retry), then
  // terminal tasks: a task just answered stays readable with GetTask.
  shared.taskStore.useMemoryBudget?.(budget);
  return { budget, options, cache };
}

export function createRequestIntake(intake: RequestIntakeOptions): RequestIntake {
  const { services, options, topics, budget, transport, onError, cache } = intake;
  const handlers: OperationHandlers = { ...defaultHandlers(), ...options.operations };
  const replies = intake.pool ? intake.pool.replyTransport(transport) : transport;
  // Replies count against the budget until acknowledged (the repliers charge it).
  const common = { services, transport: replies, budget, cache, onError };
  const dispatcher = new RequestDispatcher({
    ...common,
    handlers,
    principalOf: intake.principalOf ?? ((route) => replyRoutePrincipal(route.replyTopic, topics)),
    frameBatches: intake.frameBatches !== false,
  });
  const compact = new CompactRequestHandler({ ...common, resultsTopic: intake.resultsTopic });
  const statsServed = options.exposeStats !== false;
  const serve = (decoded: DecodedRequest, observer: ReplyObserver, principal?: Principal): Promise<void> => {
    switch (decoded.kind) {
      case "invalid":
        return new Replier({ transport, route: routeOf(decoded), id: decoded.id, onError }).errorObject(decoded.error);
      case "compact":
        return compact.handle(decoded);
      case "jsonrpc":
        if (statsServed && decoded.request.method === AGENT_STATS_METHOD) {
          return new Replier({ transport, route: routeOf(decoded), id: decoded.request.id ?? null, onError }).result(intake.stats());
        }
        return dispatcher.dispatch(decoded, observer, principal);
    }
  };
  const guard = intake.guard;
  if (guard === undefined) return serve;
  return async (decoded, observer) => {
    if (decoded.kind === "invalid") return serve(decoded, observer);
    const principal = await guard(decoded);
    if (principal !== undefined) await serve(decoded, observer, principal);
  };
}

/** Where to answer a request that no handler serves. */
function routeOf(decoded: ReplyRoute): ReplyRoute {
  const route: ReplyRoute = {};
  if (decoded.replyTopic !== undefined) route.replyTopic = decoded.replyTopic;
  if (decoded.correlationData !== undefined) route.correlationData = decoded.correlationData;
  return route;
}

/** The size of a remembered reply, once known (a stream remembers only its task id). */
function outcomeBytes(entry: CachedOutcome): number | Promise<number> {
  if (entry.kind !== "unary") return 0;
  // A number: what is known now, the rest added by whoever made the entry.
  return entry.bytes ?? entry.outcome.then(replyBytes);
}

function replyBytes(done: { json: string } | { error: unknown }): number {
  return "json" in done ? done.json.length : JSON.stringify(done.error).length;
}
