import { randomBytes, randomUUID } from "node:crypto";
import { A2AProtocolError, StreamResponseSchema, TaskSchema, isInterruptedState, isTerminalState, type Message, type StreamResponse, type Task } from "@a2a/schema";
import type { InboundMessage, Subscription, Transport } from "@a2a/transport";
import {
  EMQX_A2A_VERSION,
  EMQX_RETRY_DEFAULTS,
  HEADER_EXTENSIONS,
  HEADER_VERSION,
  JSON_CONTENT_TYPE,
  formatEmqxAddress,
  isJsonObject,
  newId,
  type EmqxAddress,
  type EmqxRetryPolicy,
  type EmqxTopicScheme,
} from "@a2a/transport/binding";
import { A2AClientError } from "../errors.js";
import type { CallOptions, StreamOptions } from "../client-options.js";
import type { Parse } from "../result-parsers.js";
import type { EmqxClientHooks } from "./emqx-client-options.js";
import { Exchange, STALLED, type CorrelationTable } from "./emqx-exchange.js";
import { decodeEmqxReply, endsCorrelation, type EmqxReply } from "./emqx-reply.js";
import { EmqxResponders, taskIdOfParams } from "./emqx-responders.js";
import { EmqxTaskView } from "./emqx-task-view.js";
import { targetId, type EmqxPoolRoutes, type EmqxTarget, type PinnedCall } from "./emqx-pool-routes.js";

export interface EmqxRequesterOptions {
  transport: Transport;
  topics: EmqxTopicScheme;
  /** This requester's own address (its client id and reply topic). */
  self: EmqxAddress;
  policy?: Partial<EmqxRetryPolicy> | undefined;
  random?: (() => number) | undefined;
  messageExpirySeconds?: number | undefined;
  hooks?: EmqxClientHooks | undefined;
  /** Pools: where each call goes before a responder is known, who holds which call. */
  pools?: EmqxPoolRoutes | undefined;
  /** @default 1_048_576 */
  maxPayloadBytes?: number | undefined;
  /** Most operations in flight. @default 10_000 */
  maxInFlight?: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });
const utf8Encoder = new TextEncoder();

/** One call on the profile: where it goes, what it asks, and its options. */
export interface EmqxCall<O extends CallOptions = CallOptions> {
  target: EmqxTarget;
  method: string;
  params: unknown;
  options: O;
}

/** How a call's answer is checked, and named in errors. */
interface Answer {
  target: EmqxAddress;
  method: string;
  parse: Parse;
}

/** A publish attempt waiting for replies, and the call it belongs to. */
interface InFlight {
  target: EmqxTarget;
  method: string;
  taskId: string | undefined;
  deliver: (reply: EmqxReply, bytes: number) => void;
  /** Ends the call from outside (its pooled reply broke the rules, its responder went offline). */
  handle: PinnedCall;
}
/** Why a pool under a `$` root may have no subscriber on a broker other than EMQX. */
const DOLLAR_POOL_HINT =
  "Pools under a $ root work on EMQX only: mosquitto 2.0 (for one) accepts $share/... subscriptions to $ topics and never delivers to them; use the root \"a2a/v1\" (emqx.root) for the pool's members and requesters on such brokers.";
const parseTask: Parse = (value) => TaskSchema.safeParse(value);

/**
 * The requester side of the profile: one reply topic `{root}/reply/{org}/{unit}/{agent}/{suffix}`
 * (subscribed before any request names it), an in-flight map keyed by Correlation Data
 * (replies with unknown or no correlation are dropped), and the retry and timeout
 * profile for every call ({@link Exchange}).
 */
export class EmqxRequester {
  readonly #o: EmqxRequesterOptions;
  readonly #policy: EmqxRetryPolicy;
  readonly #inflight = new Map<string, InFlight>();
  /** The concrete responder of each task, from `a2a-responder-agent-id`. */
  readonly responders = new EmqxResponders();
  /** The calls in progress, ended with CLOSED by `close()`. */
  readonly #exchanges = new Set<Exchange>();
  readonly replyTopic: string;
  #subscription: Subscription | undefined;

  constructor(options: EmqxRequesterOptions) {
    this.#o = options;
    this.#policy = { ...EMQX_RETRY_DEFAULTS, ...options.policy };
    this.replyTopic = options.topics.reply(options.self, randomBytes(6).toString("hex"));
  }

  /** Subscribes the reply topic; call before the first request. */
  async start(): Promise<void> {
    this.#subscription = await this.#o.transport.subscribe(this.replyTopic, (m) => this.#onReply(m), { qos: 1 });
  }

  async close(): Promise<void> {
    const closed = new A2AClientError("CLOSED", "The A2A client is closed; create a new one to make more calls.");
    for (const exchange of this.#exchanges) exchange.fail(closed);
    this.#inflight.clear();
    await this.#subscription?.unsubscribe().catch(() => undefined);
    await this.#o.pools?.close();
  }

  /** A unary call; resolves with the parsed result. */
  async call(call: EmqxCall, parse: Parse): Promise<unknown> {
    const { target, method, options } = call;
    const answer: Answer = { target, method, parse };
    const prepared = prepare(method, call.params);
    const { signal, dispose } = withTimeout(options, `${method} to ${formatEmqxAddress(target)}`);
    const exchange = this.#exchange({ ...call, params: prepared }, signal);
    try {
      let reply = await exchange.first();
      if (method !== "SendMessage" && method !== "CancelTask") return result(reply, answer);
      const sent = method === "SendMessage" ? (prepared as { message: Message }).message : undefined;
      const taskId = sent?.taskId ?? (prepared as { id: string }).id;
      const view = new EmqxTaskView(taskId, sent?.contextId, sent);
      const immediate = method === "CancelTask" || (prepared as { configuration?: { returnImmediately?: boolean } }).configuration?.returnImmediately === true;
      for (;;) {
        if (reply.error !== undefined) throw A2AProtocolError.fromJsonRpc(reply.error);
        if (isJsonObject(reply.result) && (isJsonObject(reply.result.task) || isJsonObject(reply.result.message))) return result(reply, answer);
        // The reference SDK answers with stream items instead of a Task: fold them in.
        const task = view.add(reply.result, reply.bytes ?? 0);
        if (immediate || endsCorrelation(reply)) return toResult(task, answer);
        const next = await exchange.next();
        if (next === STALLED) {
          const recovered = await this.#recover(target, taskId, signal);
          if (endsTask(recovered)) return toResult(recovered, answer);
          view.add({ task: recovered });
          continue;
        }
        reply = next;
      }
    } finally {
      dispose();
      exchange.close();
    }
  }

  /** A streaming call (SendStreamingMessage, SubscribeToTask): items until the correlation ends. */
  async *stream(call: EmqxCall<StreamOptions>): AsyncGenerator<StreamResponse> {
    const { target, method, options } = call;
    const prepared = prepare(method, call.params);
    const taskId = method === "SendStreamingMessage" ? (prepared as { message: Message }).message.taskId : (prepared as { id?: string }).id;
    const contextId = method === "SendStreamingMessage" ? (prepared as { message: Message }).message.contextId : undefined;
    const exchange = this.#exchange({ ...call, params: prepared }, options.signal);
    let lastSeq = -1;
    try {
      let item: EmqxReply | typeof STALLED = await exchange.first();
      for (;;) {
        if (item === STALLED) {
          // The profile: recover a stalled stream with GetTask, never by publishing it again.
          if (taskId === undefined) throw new A2AClientError("TIMEOUT", `The stream of ${method} to ${formatEmqxAddress(target)} stalled before it named its task.`);
          const task = await this.#recover(target, taskId, options.signal);
          yield { task };
          if (endsTask(task)) return;
        } else if (item.seq === undefined || item.seq > lastSeq) {
          if (item.seq !== undefined) lastSeq = item.seq;
          if (item.error !== undefined) throw A2AProtocolError.fromJsonRpc(item.error);
          const parsed = StreamResponseSchema.safeParse(withContext(item.result, contextId));
          if (!parsed.success) {
            throw new A2AClientError("INVALID_RESPONSE", `Agent ${formatEmqxAddress(target)} sent an invalid stream item for ${method}: ${parsed.error.message}`);
          }
          yield parsed.data;
          if (endsCorrelation(item)) return;
        }
        item = await exchange.next();
      }
    } finally {
      exchange.close();
    }
  }

  /** GetTask of a task whose reply stream stalled (its own retry profile). */
  async #recover(target: EmqxAddress, taskId: string, signal: AbortSignal | undefined): Promise<Task> {
    try {
      return (await this.call({ target, method: "GetTask", params: { id: taskId }, options: signal === undefined ? {} : { signal } }, parseTask)) as Task;
    } catch (error) {
      const stalled = `The reply stream of task ${taskId} from ${formatEmqxAddress(target)} stalled for ${this.#policy.streamIdleTimeoutMs} ms`;
      // Its responder is gone (nobody subscribed to its topic): the task went offline with it.
      if (error instanceof A2AClientError && error.code === "AGENT_OFFLINE") {
        const responder = targetId(this.responders.route(target, taskId));
        throw new A2AClientError("AGENT_OFFLINE", `${stalled}: its responder ${responder} went offline, with the task (${error.message}). Retry the request (another member of a pool takes it).`, { cause: error });
      }
      throw new A2AClientError("TIMEOUT", `${stalled} and GetTask could not recover it: ${(error as Error).message}`, { cause: error });
    }
  }

  #exchange(call: EmqxCall, signal: AbortSignal | undefined): Exchange {
    const { target: to, method, params, options } = call;
    const id = newId();
    const taskId = taskIdOfParams(method, params);
    // A task handed over (or taken by a pool member) is followed at its responder; before
    // a responder is known, a pool target goes to the pool topic (retries too).
    const target: EmqxTarget = this.responders.route(to, taskId);
    const address = targetId(target);
    const topic = target.pool === undefined ? this.#o.topics.request(target) : this.#o.topics.poolRequest(target.org, target.unit, target.pool);
    const pools = this.#o.pools;
    const handle: PinnedCall = { fail: (error) => exchange.fail(error instanceof Error ? error : new Error(String(error))) };
    const payload = JSON.stringify({ jsonrpc: "2.0", id, method, params });
    const policy = { ...this.#policy, ...idle(options) };
    const exchange = new Exchange({
      target: address,
      method,
      policy,
      random: this.#o.random ?? Math.random,
      table: this.#tableFor({ target, method, taskId, handle }),
      noSubscribersHint: target.pool !== undefined && this.#o.topics.root.startsWith("$") ? DOLLAR_POOL_HINT : undefined,
      signal,
      publish: async (correlation, attempt) => {
        const userProperties: Record<string, string> = { [HEADER_VERSION]: EMQX_A2A_VERSION };
        if (options.extensions !== undefined && options.extensions.length > 0) userProperties[HEADER_EXTENSIONS] = options.extensions.join(",");
        Object.assign(userProperties, await this.#o.hooks?.requestProperties?.({ target: address, method, params, attempt, options }));
        return this.#o.transport.publish(topic, payload, {
          qos: 1,
          properties: {
            responseTopic: this.replyTopic,
            correlationData: utf8Encoder.encode(correlation),
            contentType: JSON_CONTENT_TYPE,
            userProperties,
            ...(this.#o.messageExpirySeconds === undefined ? {} : { messageExpiryInterval: this.#o.messageExpirySeconds }),
          },
          ...(signal === undefined ? {} : { signal }),
        });
      },
      onClose: () => {
        this.#exchanges.delete(exchange);
        pools?.forget(handle);
      },
    });
    this.#exchanges.add(exchange);
    return exchange;
  }

  #tableFor(call: Omit<InFlight, "deliver">): CorrelationTable {
    return {
      add: (correlation, deliver) => {
        if (this.#inflight.size >= (this.#o.maxInFlight ?? 10_000)) return false;
        this.#inflight.set(correlation, { ...call, deliver });
        return true;
      },
      delete: (correlation) => this.#inflight.delete(correlation),
    };
  }

  #onReply(message: InboundMessage): void {
    const bytes = message.properties.correlationData;
    // Unknown or missing Correlation Data: a protocol error, ignored (Requester Behavior 5).
    if (bytes === undefined) return;
    const call = this.#inflight.get(utf8.decode(bytes));
    if (call === undefined) return;
    this.#o.hooks?.observeReply?.({ target: formatEmqxAddress(call.target), method: call.method }, message.properties);
    let reply = decodeEmqxReply(message, this.#o.maxPayloadBytes ?? 1024 * 1024);
    if (reply === undefined) {
      let item: unknown;
      try {
        item = this.#o.hooks?.decodeNonJsonReply?.(message);
      } catch (error) {
        // E.g. a binary chunk with malformed properties: the call cannot go on from it.
        return call.handle.fail(new A2AClientError("INVALID_RESPONSE", `Agent ${targetId(call.target)} sent a reply that cannot be read: ${(error as Error).message}`, { cause: error }));
      }
      if (item === undefined) return;
      reply = { result: item, properties: message.properties, bytes: message.payload.byteLength };
    }
    try {
      // A pooled reply must name its responder; the calls it holds are watched.
      this.#o.pools?.observe(call.handle, call.target, message.properties);
    } catch (error) {
      return call.handle.fail(error);
    }
    this.responders.observe({ target: call.target, taskId: call.taskId, userProperties: message.properties.userProperties, result: reply.result });
    call.deliver(reply, message.payload.byteLength);
  }
}

/** The params as the profile wants them: a new task's Task.id (and context) generated by the requester. */
function prepare(method: string, params: unknown): unknown {
  if ((method !== "SendMessage" && method !== "SendStreamingMessage") || !isJsonObject(params) || !isJsonObject(params.message)) return params;
  const message = { ...params.message };
  message.taskId ??= randomUUID();
  message.contextId ??= randomUUID();
  return { ...params, message };
}

function result(reply: EmqxReply, answer: Answer): unknown {
  const { parse, target, method } = answer;
  if (reply.error !== undefined) throw A2AProtocolError.fromJsonRpc(reply.error);
  const parsed = parse(reply.result);
  if (!parsed.success) {
    throw new A2AClientError("INVALID_RESPONSE", `Agent ${formatEmqxAddress(target)} answered ${method} with an invalid result: ${parsed.error.message}`, { cause: parsed.error });
  }
  return parsed.data;
}

/** SendMessage resolves with `{ task }`, CancelTask with the Task. */
function toResult(task: Task | undefined, answer: Answer): unknown {
  const { parse, target, method } = answer;
  const value = method === "SendMessage" ? { task } : task;
  const parsed = parse(value);
  if (!parsed.success) {
    throw new A2AClientError("INVALID_RESPONSE", `Agent ${formatEmqxAddress(target)} answered ${method} with items that make no valid Task: ${parsed.error.message}`, { cause: parsed.error });
  }
  return parsed.data;
}

function endsTask(task: Task): boolean {
  return isTerminalState(task.status.state) || isInterruptedState(task.status.state);
}

/** Fills an empty `contextId` of a stream item with the one sent (the reference SDK sends `""` when it has none). */
function withContext(result: unknown, contextId: string | undefined): unknown {
  if (contextId === undefined || !isJsonObject(result)) return result;
  for (const key of ["statusUpdate", "artifactUpdate"]) {
    const event = result[key];
    if (isJsonObject(event) && event.contextId === "") return { ...result, [key]: { ...event, contextId } };
  }
  return result;
}

function idle(options: CallOptions): Partial<EmqxRetryPolicy> {
  const idleTimeoutMs = (options as StreamOptions).idleTimeoutMs;
  return idleTimeoutMs === undefined ? {} : { streamIdleTimeoutMs: idleTimeoutMs };
}

/**
 * The caller's signal, ended also by `timeoutMs` (the whole call) when given; `dispose`
 * clears the timer when the call ends first, so it holds nothing for the rest of the timeout.
 */
function withTimeout(options: CallOptions, what: string): { signal: AbortSignal | undefined; dispose: () => void } {
  const { timeoutMs, signal } = options;
  if (timeoutMs === undefined) return { signal, dispose: () => undefined };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new A2AClientError("TIMEOUT", `${what} did not complete within ${timeoutMs} ms.`)), timeoutMs);
  timer.unref?.();
  return { signal: signal === undefined ? controller.signal : AbortSignal.any([signal, controller.signal]), dispose: () => clearTimeout(timer) };
}

