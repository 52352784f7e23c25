import { fastParse, StreamResponseSchema, type StreamResponse } from "@a2a/schema";
import {
  ACCEPT_CLAIM_USER_PROPERTY,
  encodeRequest,
  HEADER_EXTENSIONS,
  HEADER_VERSION,
  isStreamEnd,
  newId,
  PROTOCOL_VERSION,
  RESUME_EXTENSION_URI,
} from "@a2a/transport/binding";
import type { PublishOptions, PublishResult, TopicScheme, Transport } from "@a2a/transport";
import { RequestTopics } from "./request-topics.js";
import type { AgentDirectory, AgentInfo } from "./discovery.js";
import { A2AClientError, A2AProtocolError, abortError } from "./errors.js";
import type { PendingEntry, PendingRequests, ReplyFrame } from "./pending-requests.js";
import type { PoolRoutes } from "./pool-routes.js";
import { StreamReader } from "./stream-reader.js";
import type { CallSpan, ClientTelemetry } from "./telemetry.js";
import { UnaryCall, type OutgoingRequest, type Parse } from "./unary-call.js";

/** Options every call takes. */
export interface CallOptions {
  /**
   * Milliseconds until the call fails with TIMEOUT: for unary calls the whole call
   * (a blocking SendMessage lasts as long as the task), for streams the first event.
   * @default the client's `timeoutMs` (30_000)
   */
  timeoutMs?: number;
  /** Aborts the call; it then fails with ABORTED (or the signal's A2AClientError reason). */
  signal?: AbortSignal;
  /** Extension URIs to activate, sent as the `A2A-Extensions` service parameter. */
  extensions?: string[];
}

/** Options of streaming calls (SendStreamingMessage, SubscribeToTask). */
export interface StreamOptions extends CallOptions {
  /**
   * Longest pause between two events, in milliseconds, before the stream fails with
   * TIMEOUT. Tasks may legitimately work quietly for long; set it when they should not.
   * @default undefined (no limit after the first event)
   */
  idleTimeoutMs?: number;
}

/** MQTT 5 PUBACK reason code "No matching subscribers". */
const NO_MATCHING_SUBSCRIBERS = 0x10;

export interface RequestSenderOptions {
  transport: Transport;
  topics: TopicScheme;
  pending: PendingRequests;
  replyTopic: string;
  directory: AgentDirectory | undefined;
  /**
   * True while an offline card of the agent may still come from a broker restart; the
   * call is then sent, and fails with the agent's other calls if it stays offline.
   */
  judgingOffline?: (agentId: string) => boolean;
  timeoutMs: number;
  /** Sends follow-ups of a pool's tasks to the instance holding them. */
  pool?: PoolRoutes;
  /** Spans and metrics of every call. */
  telemetry: ClientTelemetry;
}

/** A result check: the fast path for plain 1.0 values, zod for the rest (and its errors). */
export function resultParser(schema: Parameters<typeof fastParse>[0]): Parse {
  return (value) => {
    const fast = fastParse(schema, value);
    return fast !== undefined ? { success: true, data: fast } : schema.safeParse(value);
  };
}

const parseStreamResponse = resultParser(StreamResponseSchema);


/** Publishes requests and ties their replies, timeouts and aborts to one outcome. */
export class RequestSender {
  readonly #o: RequestSenderOptions;
  readonly #encoder = new TextEncoder();
  readonly #requestTopics: RequestTopics;
  readonly #resend = (call: OutgoingRequest): Promise<void> => this.#send(call, undefined);

  readonly #unlisten: () => void;

  constructor(options: RequestSenderOptions) {
    this.#o = options;
    this.#requestTopics = new RequestTopics(options.topics);
    // A clean session (the default for generated client ids) or a broker that lost the
    // session drops the replies sent while the connection was down: every call in
    // flight asks again with the same id, and the agent answers the repeat from its
    // memory without running it twice (binding section 4.5).
    this.#unlisten = options.transport.on("connected", (event) => {
      if (!event.reconnected || event.sessionPresent) return;
      for (const entry of options.pending.entries()) entry.sessionLost?.();
    });
  }

  /** Stops resending on reconnects. */
  close(): void {
    this.#unlisten();
  }

  /** One request, one reply. */
  call(agentId: string, method: string, params: unknown, options: CallOptions, parse: Parse): Promise<unknown> {
    const topic = this.#requestTopics.of(agentId);
    const call = new UnaryCall({
      agentId,
      id: newId(),
      method,
      params,
      options,
      timeoutMs: options.timeoutMs ?? this.#o.timeoutMs,
      pending: this.#o.pending,
      parse,
      resend: this.#resend,
    });
    const span = this.#o.telemetry.begin(agentId, method, call.id, topic);
    this.#o.telemetry.track(call, span);
    call.promise.then((result) => span.end(undefined, result), (error: unknown) => span.end(error));
    if (call.start()) this.#publish(call).catch((e: unknown) => call.finish(e));
    return call.promise;
  }

  /**
   * One request, a stream of replies ordered by `seq`. When the connection comes back
   * without its session mid-stream, the stream resumes by itself with SubscribeToTask
   * after the last task event taken (binding section 5.1): every event once, in order.
   */
  stream(agentId: string, method: string, params: unknown, options: StreamOptions): StreamReader<StreamResponse> {
    const topic = this.#requestTopics.of(agentId);
    let span: CallSpan | undefined;
    const timeoutMs = options.timeoutMs ?? this.#o.timeoutMs;
    const { signal, idleTimeoutMs } = options;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let current: { id: string; entry: PendingEntry } | undefined;
    /** The task the stream follows, once an event named it. */
    let taskId: string | undefined;
    const onAbort = () => reader.fail(abortError(signal!, `${method} to ${agentId}`));
    const reader: StreamReader<StreamResponse> = new StreamReader<StreamResponse>({
      onEnd: (error) => {
        span?.end(error);
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (current !== undefined) this.#o.pending.delete(current.id, current.entry);
      },
    });
    const arm = (ms: number, waitingFor: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => reader.fail(timeoutError(agentId, method, ms, waitingFor)), ms);
    };
    const open = (call: OutgoingRequest): PendingEntry => {
      const entry: PendingEntry = {
        id: call.id,
        agent: agentId,
        deliver: (frame: ReplyFrame) => {
          if (frame.error) return reader.fail(A2AProtocolError.fromJsonRpc(frame.error));
          const parsed = parseStreamResponse(frame.result);
          if (!parsed.success) return reader.fail(invalidResult(agentId, method, parsed.error));
          const event = parsed.data as StreamResponse;
          if (span !== undefined && ("task" in event || "statusUpdate" in event)) span.last = event;
          taskId ??= eventTaskId(event);
          // An agent that does not number its frames cannot mark the last one either:
          // then the event itself says whether the stream is over.
          const final = frame.final === true || (frame.seq === undefined && isStreamEnd(event));
          const position: { seq?: number; final: boolean; eventSeq?: number } = { final };
          if (frame.seq !== undefined) position.seq = frame.seq;
          if (frame.eventSeq !== undefined) position.eventSeq = frame.eventSeq;
          reader.push(event, position);
          if (reader.settled) return;
          if (idleTimeoutMs !== undefined) arm(idleTimeoutMs, "send its next event");
          else clearTimeout(timer);
        },
        fail: (error) => reader.fail(error),
        sessionLost: () => {
          // Before the first frame a repeat starts the stream afresh.
          if (!reader.received) {
            void this.#send(call, undefined).catch((e) => reader.fail(e));
            return;
          }
          const after = reader.lastEventSeq;
          if (taskId === undefined || after === undefined) {
            // The agent numbers no events: a repeat's frames, numbered from 0 again,
            // could not be told apart from those already seen.
            reader.fail(
              new A2AClientError(
                "CONNECTION_LOST",
                `The broker connection was lost with its session during ${method} to ${agentId}; events may be missing. Continue with SubscribeToTask or GetTask (or give the client a stable clientId for a persistent session).`,
              ),
            );
            return;
          }
          this.#o.pending.delete(call.id, entry);
          reader.restart();
          const resume: OutgoingRequest = {
            agentId,
            id: newId(),
            method: "SubscribeToTask",
            params: { id: taskId, metadata: { [RESUME_EXTENSION_URI]: { afterEventSeq: after } } },
            options,
            timeoutMs,
            isDone: () => reader.settled,
          };
          if (span !== undefined) this.#o.telemetry.track(resume, span);
          const next = open(resume);
          if (!this.#o.pending.add(next)) return reader.fail(tooMany());
          current = { id: resume.id, entry: next };
          this.#send(resume, undefined).catch((e: unknown) => reader.fail(e));
        },
      };
      return entry;
    };
    const call: OutgoingRequest = { agentId, id: newId(), method, params, options, timeoutMs, isDone: () => reader.settled };
    span = this.#o.telemetry.begin(agentId, method, call.id, topic);
    this.#o.telemetry.track(call, span);
    if (signal?.aborted) {
      onAbort();
      return reader;
    }
    const entry = open(call);
    if (!this.#o.pending.add(entry)) {
      reader.fail(tooMany());
      return reader;
    }
    current = { id: call.id, entry };
    arm(timeoutMs, "send its first event");
    signal?.addEventListener("abort", onAbort, { once: true });
    this.#publish(call).catch((e) => reader.fail(e));
    return reader;
  }

  /** Checks the agent's card (without waiting when the directory already knows), then sends. */
  #publish(call: OutgoingRequest): Promise<void> {
    const directory = this.#o.directory;
    if (directory === undefined) return this.#send(call, undefined);
    const known = directory.get(call.agentId);
    if (known !== undefined || directory.loaded) return this.#send(call, known);
    return directory.lookup(call.agentId, call.options.signal).then((info) => this.#send(call, info));
  }

  // Not async: a call should not pay for extra promises; failures are returned as rejections.
  #send(call: OutgoingRequest, info: AgentInfo | undefined): Promise<void> {
    let sent: Promise<PublishResult>;
    let topic: string;
    let messageProperties: boolean;
    try {
      const { agentId, options } = call;
      if (info?.status === "offline" && this.#o.judgingOffline?.(agentId) !== true) {
        throw new A2AClientError(
          "AGENT_OFFLINE",
          `Agent ${agentId} is offline${info.since ? ` since ${info.since}` : ""} according to its Agent Card; retry when it is back online.`,
        );
      }
      if (call.isDone()) return Promise.resolve(); // timed out or aborted while looking the agent up
      const serviceParams: Record<string, string> = { [HEADER_VERSION]: PROTOCOL_VERSION };
      if (options.extensions && options.extensions.length > 0) serviceParams[HEADER_EXTENSIONS] = options.extensions.join(",");
      this.#o.telemetry.spanOf(call)?.inject(serviceParams);
      const { transport } = this.#o;
      messageProperties = transport.capabilities.messageProperties;
      const encoded = encodeRequest({
        request: { jsonrpc: "2.0", id: call.id, method: call.method, params: call.params },
        replyTopic: this.#o.replyTopic,
        // Correlation data travels only as an MQTT 5 property.
        ...(messageProperties ? { correlationData: this.#encoder.encode(call.id) } : {}),
        serviceParams,
        messageProperties,
        // A request nobody picked up before the caller gave up must not run later.
        messageExpiryInterval: Math.max(1, Math.ceil(call.timeoutMs / 1000)),
      });
      topic = this.#requestTopics.of(agentId);
      const pool = this.#o.pool;
      if (pool) {
        topic = pool.topicFor(agentId, call.method, call.params, topic);
        // Pool instances then claim the request as it arrives (docs/binding.md, "Agent pools").
        if (messageProperties) {
          const properties = (encoded.options.properties ??= {});
          properties.userProperties = { ...properties.userProperties, [ACCEPT_CLAIM_USER_PROPERTY]: "1" };
        }
      }
      const publishOptions: PublishOptions = options.signal ? { ...encoded.options, signal: options.signal } : encoded.options;
      sent = transport.publish(topic, encoded.payload, publishOptions);
    } catch (error) {
      return Promise.reject(error);
    }
    // Only MQTT 5 acknowledgements carry a reason code worth reading.
    if (!messageProperties) return sent as Promise<unknown> as Promise<void>;
    return sent.then((result) => {
      if (result.reasonCode === NO_MATCHING_SUBSCRIBERS) {
        throw new A2AClientError(
          "AGENT_OFFLINE",
          `No agent is listening on ${topic} (the broker reported no matching subscribers); check the agent id or start the agent.`,
        );
      }
    });
  }
}

/** The task an event belongs to (a Message names none the stream needs). */
function eventTaskId(event: StreamResponse): string | undefined {
  if ("task" in event) return event.task.id;
  if ("statusUpdate" in event) return event.statusUpdate.taskId;
  if ("artifactUpdate" in event) return event.artifactUpdate.taskId;
  return undefined;
}


function invalidResult(agentId: string, method: string, cause: Error): A2AClientError {
  return new A2AClientError("INVALID_RESPONSE", `Agent ${agentId} answered ${method} with an invalid result: ${cause.message}`, {
    cause,
  });
}

function timeoutError(agentId: string, method: string, ms: number, waitingFor: string): A2AClientError {
  return new A2AClientError(
    "TIMEOUT",
    `Agent ${agentId} did not ${waitingFor} to ${method} within ${ms} ms; it may be offline or busy (raise timeoutMs, or use returnImmediately or streaming for long tasks).`,
  );
}

function tooMany(): RangeError {
  return new RangeError("Too many calls in flight on this client; wait for some to finish before starting more.");
}
