import {
  OPERATION_PARAMS,
  isStreamingMethod,
  normalizeMethod,
  parseWire,
  resultToV03,
  streamResponseToV03,
  type A2AMethod,
  A2AProtocolError,
  A2AErrorCode,
  toJsonRpcError,
  type StreamResponse,
} from "@a2a/schema";
import type { Transport } from "@a2a/transport";
import {
  isStreamEnd,
  messageKey,
  payloadDigest,
  requestDigest,
  requestKey,
  requestedVersion,
  wantsFrameBatches,
  type DecodedJsonRpcRequest,
  type JsonRpcErrorObject,
  type ReplyRoute,
} from "@a2a/transport/binding";
import type { BoundedCache } from "./bounded-cache.js";
import type { MemoryBudget } from "./memory-budget.js";
import { checkCapabilities } from "./capability-checks.js";
import { taskStream } from "./handlers/task-stream.js";
import type { OperationContext, OperationHandler, OperationHandlers, OperationStream } from "./operation.js";
import type { Principal } from "./principal.js";
import { Replier } from "./replier.js";
import { withV03Semantics } from "./v03-semantics.js";
import type { AgentServices } from "./services.js";
import { snapshotTask } from "./task-snapshot.js";
import { SubscriberOverflowError } from "./task-event-bus.js";
import type { ReplyObserver } from "./telemetry/agent-telemetry.js";

/** What the de-duplication cache remembers of an answered request. */
export type CachedOutcome = (
  | {
      kind: "unary";
      outcome: Promise<{ json: string } | { error: JsonRpcErrorObject }>;
      /** The reply's size once known; a number when its holder adds the size itself once the reply is known. */
      bytes?: Promise<number> | number;
    }
  | { kind: "stream"; started: Promise<{ taskId: string } | { error: JsonRpcErrorObject }> }
) & {
  /** The request's method, version and params (`requestDigest`): a reused id with another digest is a new request. */
  digest?: string | undefined;
};

export interface RequestDispatcherOptions {
  services: AgentServices;
  transport: Transport;
  handlers: OperationHandlers;
  cache: BoundedCache<CachedOutcome>;
  /** Replies count against it until the broker acknowledged them. */
  budget?: MemoryBudget | undefined;
  onError: (error: unknown) => void;
  /** Who sent a request with this route (tasks are scoped to it). */
  principalOf?: (route: ReplyRoute) => Principal | undefined;
  /** Streams may batch their frames for requests that ask for it (section 5.2); not on the EMQX profile's wire. */
  frameBatches?: boolean | undefined;
}

/** 1.x and 0.3; a patch number is not considered (A2A section 3.6). */
const SUPPORTED_VERSION = /^(1\.\d+|0\.3)(\.\d+)?$/;
/** Stream frames published and not yet acknowledged by the broker, per stream. */
const UNACKED_FRAMES = 16;

/** Adds a frame's acknowledgement; the oldest one to wait for once the window is full. */
function inWindow(unacked: Promise<void>[], sent: Promise<void>): Promise<void> | undefined {
  // Frames batched into one message share its acknowledgement: the window counts messages.
  if (unacked[unacked.length - 1] === sent) return undefined;
  unacked.push(sent);
  return unacked.length > UNACKED_FRAMES ? unacked.shift() : undefined;
}

/**
 * Serves JSON-RPC requests: method lookup (-32601), version check (-32009), params
 * validation (-32602 with paths), de-duplication of repeated requests, and the reply
 * or stream of the operation's handler.
 */
export class RequestDispatcher {
  readonly #o: RequestDispatcherOptions;

  constructor(options: RequestDispatcherOptions) {
    this.#o = options;
  }

  /**
   * @param observer is told of error replies (traces and metrics)
   * @param principal who sent it, when known otherwise (a verified bearer token); else the owner of its reply route
   */
  dispatch(decoded: DecodedJsonRpcRequest, observer?: ReplyObserver, principal?: Principal): Promise<void> {
    // Not an async function: a unary request then costs the promises of its reply only.
    try {
      return this.#dispatch(decoded, observer, principal);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #dispatch(decoded: DecodedJsonRpcRequest, observer: ReplyObserver | undefined, principal: Principal | undefined): Promise<void> {
    const { request, replyTopic, correlationData } = decoded;
    const requestBytes = payloadBytes(decoded.payload);
    const route: ReplyRoute = {};
    if (replyTopic !== undefined) route.replyTopic = replyTopic;
    if (correlationData !== undefined) route.correlationData = correlationData;
    const replier = new Replier({
      transport: this.#o.transport,
      route,
      id: request.id ?? null,
      onError: this.#o.onError,
      observer,
      budget: this.#o.budget,
      frameBatches: this.#o.frameBatches === true && wantsFrameBatches(decoded.serviceParams),
    });
    const version = requestedVersion(decoded.serviceParams);
    const method = normalizeMethod(request.method);
    // A SendMessage is remembered by its message id alone: the same request bytes mean the
    // same message id, so its request key would only repeat what the message key finds.
    const byMessageOnly = method === "SendMessage" || method === "SendStreamingMessage";
    const byRequest =
      !byMessageOnly && replyTopic !== undefined && request.id !== undefined ? requestKey({ replyTopic, correlationData, id: request.id }) : undefined;
    // A repeat is the same request under the same key; a reused id with other content is new.
    const digest = byRequest === undefined ? undefined : requestDigestOf(decoded, version);
    // The payload is not kept: it may share a socket read buffer, and a long task must not
    // hold that. Cleared rather than deleted: a delete leaves the object's fast shape.
    decoded.payload = undefined;
    const seen = byRequest === undefined ? undefined : this.#o.cache.get(byRequest);
    const form = wireForm(version);
    if (seen !== undefined && seen.digest === digest) return this.#replay(seen, replier, { form, route });

    if (method === undefined) return replier.error(A2AProtocolError.methodNotFound(request.method));
    // Every frame of a stream follows section 5, the refusals before it starts too.
    const refuse = isStreamingMethod(method) ? (e: A2AProtocolError) => replier.errorFrame(e) : (e: A2AProtocolError) => replier.error(e);
    if (!SUPPORTED_VERSION.test(version)) return refuse(A2AProtocolError.versionNotSupported(version));
    const refused = checkCapabilities(method, this.#o.services.card(), decoded.serviceParams);
    if (refused !== undefined) return refuse(refused);
    const parsed = parseWire(OPERATION_PARAMS[method], request.params ?? {}, { root: "params" });
    if (!parsed.ok) return refuse(A2AProtocolError.invalidParams(parsed.error.message, parsed.error.issues));

    const params = form === "0.3" ? withV03Semantics(method, parsed.value) : parsed.value;
    const handler: OperationHandler = this.#o.handlers[method];
    let byMessage: string | undefined;
    if (byMessageOnly) {
      const messageId = (params as { message: { messageId: string } }).message.messageId;
      byMessage = messageKey({ replyTopic, messageId, method, form });
      const earlier = this.#o.cache.get(byMessage);
      if (earlier !== undefined) return this.#replay(earlier, replier, { form, route });
    }
    const ctx: OperationContext = {
      services: this.#o.services,
      route,
      serviceParams: decoded.serviceParams,
      principal: principal ?? this.#o.principalOf?.(route),
      requestBytes,
    };
    if (!handler.streaming) {
      const result = this.#runUnary(handler, params, ctx);
      const outcome = form === "0.3" ? result.then((value) => this.#serialiseV03(method, value), this.#failure) : result.then(this.#serialise, this.#failure);
      // Weighed here once the reply is known (no promise per entry for its size).
      const entry: CachedOutcome = { kind: "unary", outcome, digest, bytes: 0 };
      const key = byRequest ?? byMessage;
      if (key !== undefined) this.#o.cache.set(key, entry);
      // A callback rather than an await: a task held for long then keeps only the replier.
      return outcome.then((done) => {
        // The reply leaves first; the cache's accounting is not part of the round trip.
        const sent = "json" in done ? replier.resultJson(done.json) : replier.errorObject(done.error);
        if (key !== undefined) this.#o.cache.addWeight(key, entry, "json" in done ? done.json.length : JSON.stringify(done.error).length);
        return sent;
      });
    }
    return this.#stream({ handler, params, ctx, replier, form, key: byRequest ?? byMessage, digest });
  }

  async #stream(request: {
    handler: OperationHandler & { streaming: true };
    params: unknown;
    ctx: OperationContext;
    replier: Replier;
    form: WireForm;
    /** Where the stream is remembered: its request key or, for SendStreamingMessage, its message key. */
    key: string | undefined;
    digest: string | undefined;
  }): Promise<void> {
    const { handler, params, ctx, replier, form } = request;
    let started!: (v: { taskId: string } | { error: JsonRpcErrorObject }) => void;
    const remembered: CachedOutcome = { kind: "stream", started: new Promise((resolve) => (started = resolve)), digest: request.digest };
    if (request.key !== undefined) this.#o.cache.set(request.key, remembered);
    let stream: OperationStream;
    try {
      stream = await handler.handle(params as never, ctx);
      started(stream.taskId === undefined ? { error: { code: A2AErrorCode.InternalError, message: "Stream has no task" } } : { taskId: stream.taskId });
    } catch (error) {
      const wire = this.#wireError(error);
      started({ error: wire });
      return replier.errorFrame(wire);
    }
    return this.#pump(stream, replier, form);
  }

  /** The handler's result; a handler that throws at once rejects it like one that rejects. */
  #runUnary(handler: OperationHandler & { streaming: false }, params: unknown, ctx: OperationContext): Promise<unknown> {
    try {
      return Promise.resolve(handler.handle(params as never, ctx));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The result in its 0.3 form as JSON text (a reply to a 0.3 request). */
  #serialiseV03(method: A2AMethod, value: unknown): { json: string } | { error: JsonRpcErrorObject } {
    try {
      return this.#serialise(resultToV03(method, value));
    } catch (error) {
      return this.#failure(error);
    }
  }

  /** The result as JSON text, serialised now: the cache must not see later changes of the task. */
  readonly #serialise = (value: unknown): { json: string } | { error: JsonRpcErrorObject } => {
    try {
      return { json: JSON.stringify(value) };
    } catch (error) {
      return { error: this.#wireError(error) };
    }
  };

  readonly #failure = (error: unknown): { error: JsonRpcErrorObject } => ({ error: this.#wireError(error) });

  /** The error to answer with; unexpected errors are also reported, their text is not sent. */
  #wireError(error: unknown): JsonRpcErrorObject {
    const wire = toJsonRpcError(error);
    if (wire.code === A2AErrorCode.InternalError && !(error instanceof A2AProtocolError)) this.#o.onError(error);
    return wire;
  }

  /**
   * Publishes a stream's events as frames; `final` on the event that ends it, and the
   * task event number when the stream has one. Frames go out without waiting for each
   * PUBACK (one connection at one QoS keeps their order, and `seq` lets the client
   * restore it anyway); at most {@link UNACKED_FRAMES} messages (a frame or a batch of
   * them) wait for theirs, so a slow broker still holds the stream back. Resolves once
   * every frame was acknowledged (publishing failures go to `onError`, as for any reply).
   */
  async #pump(stream: OperationStream, replier: Replier, form: WireForm): Promise<void> {
    const unacked: Promise<void>[] = [];
    const { events, frameMembers } = stream;
    try {
      for await (const event of events) {
        const end = isStreamEnd(event);
        const body = form === "0.3" ? streamResponseToV03(event) : event;
        // Awaited only when the window is full: an await of nothing still costs a turn per frame.
        const oldest = inWindow(unacked, replier.frame(body, end, frameMembers?.()));
        if (oldest !== undefined) await oldest;
        if (end) return;
      }
      const early = new A2AProtocolError({ code: A2AErrorCode.InternalError, message: "The stream ended before the task reached a final state" });
      await inWindow(unacked, replier.errorFrame(early));
    } catch (error) {
      const wire =
        error instanceof SubscriberOverflowError
          ? new A2AProtocolError({ code: A2AErrorCode.InternalError, message: `${error.message}; resubscribe with SubscribeToTask` })
          : error;
      await inWindow(unacked, replier.errorFrame(wire));
    } finally {
      await Promise.all(unacked);
    }
  }

  /** Answers a repeated request without executing it again. */
  async #replay(entry: CachedOutcome, replier: Replier, request: { form: WireForm; route: ReplyRoute }): Promise<void> {
    const { form } = request;
    if (entry.kind === "unary") {
      const done = await entry.outcome;
      return "json" in done ? replier.resultJson(done.json) : replier.errorObject(done.error);
    }
    const started = await entry.started;
    if ("error" in started) return replier.errorFrame(started.error);
    // The same reply route, so the same principal: the task is the requester's own.
    const { services } = this.#o;
    const principal = this.#o.principalOf?.(request.route);
    const live = services.liveTask(started.taskId, principal);
    if (live !== undefined && !live.ended) {
      return this.#pump(taskStream(live, { windows: services.windows }), replier, form);
    }
    const task = await services.findTask(started.taskId, principal);
    if (task === undefined) return replier.errorFrame(A2AProtocolError.taskNotFound(started.taskId));
    const event: StreamResponse = { task: snapshotTask(task) };
    return replier.frame(form === "0.3" ? streamResponseToV03(event) : event, true);
  }
}

/** The form a reply goes out in: A2A 1.0, or 0.3 for requests that asked for 0.3 (or named no version). */
type WireForm = "1.0" | "0.3";

function wireForm(version: string): WireForm {
  return version.startsWith("0.") ? "0.3" : "1.0";
}

/** The request's length in bytes (its characters for a string: exact enough for a bound). */
function payloadBytes(payload: Uint8Array | string | undefined): number | undefined {
  if (payload === undefined) return undefined;
  return typeof payload === "string" ? payload.length : payload.byteLength;
}

/**
 * The request's digest from its payload bytes when they came with it (no second
 * serialisation of its params), else from its parsed form.
 */
function requestDigestOf(decoded: DecodedJsonRpcRequest, version: string): string {
  const { payload, request } = decoded;
  return payload === undefined ? requestDigest({ method: request.method, version, params: request.params }) : payloadDigest({ version, payload });
}
