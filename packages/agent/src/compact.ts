import {
  TaskRequestSchema,
  parseWire,
  taskRequestToSendMessageParams,
  taskToTaskResult,
  type TaskResult,
  A2AProtocolError,
  toJsonRpcError,
} from "@a2a/schema";
import type { Transport } from "@a2a/transport";
import { compactRequestKey, type DecodedCompactRequest } from "@a2a/transport/binding";
import type { BoundedCache } from "./bounded-cache.js";
import type { MemoryBudget } from "./memory-budget.js";
import { prepareMessage } from "./handlers/prepare-message.js";
import type { CachedOutcome } from "./request-dispatcher.js";
import { Replier } from "./replier.js";
import type { AgentServices } from "./services.js";

export interface CompactRequestHandlerOptions {
  services: AgentServices;
  transport: Transport;
  /** `{org}/{agent}/results`. */
  resultsTopic: string;
  cache: BoundedCache<CachedOutcome>;
  /** Replies count against it until the broker acknowledged them. */
  budget?: MemoryBudget | undefined;
  onError: (error: unknown) => void;
}

/**
 * Serves the seed's compact Task Requests: runs each as a blocking SendMessage for the
 * skill named by `operation` and publishes its Task Result on the results topic (or
 * the request's reply topic). Problems are answered as a `rejected` Task Result.
 */
export class CompactRequestHandler {
  readonly #o: CompactRequestHandlerOptions;

  constructor(options: CompactRequestHandlerOptions) {
    this.#o = options;
  }

  async handle(decoded: DecodedCompactRequest): Promise<void> {
    const replyTopic = decoded.replyTopic ?? this.#o.resultsTopic;
    const route = decoded.correlationData === undefined ? { replyTopic } : { replyTopic, correlationData: decoded.correlationData };
    const replier = new Replier({ transport: this.#o.transport, route, id: null, onError: this.#o.onError, budget: this.#o.budget });
    const raw = decoded.request;
    const parsed = parseWire(TaskRequestSchema, raw);
    if (!parsed.ok) {
      // Without a usable id nobody can match the result to the request.
      if (typeof raw.id === "string" && raw.id !== "") {
        await replier.raw(rejected(raw.id, raw.taskId, `Invalid Task Request: ${parsed.error.message}`));
      } else {
        this.#o.onError(new Error(`Dropped a Task Request without a valid id: ${parsed.error.message}`));
      }
      return;
    }
    const request = parsed.value;
    const key = compactRequestKey({ replyTopic, correlationData: decoded.correlationData, id: request.id });
    const seen = this.#o.cache.get(key);
    if (seen !== undefined && seen.kind === "unary") {
      const done = await seen.outcome;
      if ("json" in done) await replier.rawJson(done.json);
      return;
    }
    const outcome = this.#run(request);
    this.#o.cache.set(key, { kind: "unary", outcome: outcome.then((result) => ({ json: JSON.stringify(result) })) });
    await replier.raw(await outcome);
  }

  async #run(request: ReturnType<typeof TaskRequestSchema.parse>): Promise<TaskResult> {
    try {
      const prepared = await prepareMessage(this.#o.services, taskRequestToSendMessageParams(request), { operation: request.operation });
      const stopped = prepared.live.nextStop();
      prepared.begin();
      return taskToTaskResult(await stopped, request);
    } catch (error) {
      // A protocol error is the requester's to read; anything else is reported, not sent.
      if (!(error instanceof A2AProtocolError)) this.#o.onError(error);
      return rejected(request.id, request.taskId, toJsonRpcError(error).message);
    }
  }
}

export function rejected(id: string, taskId: unknown, error: string): TaskResult {
  const result: TaskResult = { id, status: "rejected", result: { status: "rejected", error }, error };
  if (typeof taskId === "string" && taskId !== "") result.taskId = taskId;
  return result;
}
