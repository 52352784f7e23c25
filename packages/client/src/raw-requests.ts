import { encodeRequest, isStreamEnd, newId, type JsonRpcErrorObject, type ServiceParams } from "@a2a/transport/binding";
import type { PublishOptions, TopicScheme, Transport } from "@a2a/transport";
import { RequestTopics } from "./request-topics.js";
import type { AgentDirectory } from "./discovery.js";
import { A2AClientError, abortError } from "./errors.js";
import type { PendingEntry, PendingRequests, ReplyFrame } from "./pending-requests.js";
import { StreamReader } from "./stream-reader.js";

/**
 * Requests passed through as they are, for gateways and proxies: the method, params and
 * service parameters go out unchanged (no version is added, nothing is validated), and
 * the agent's answer comes back unchanged, whatever protocol version it speaks.
 */

/** The agent's answer: a JSON-RPC `result` or `error`, as sent. */
export type RawReply = { result: unknown } | { error: JsonRpcErrorObject };

export interface RawRequestOptions {
  /** Sent exactly as given (`A2A-Version`, `A2A-Extensions`, `a2a-authorization`, ...). */
  serviceParams?: ServiceParams;
  /** Unary calls: the whole call; streams: the first frame. @default the client's timeoutMs */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RawRequestsOptions {
  transport: Transport;
  topics: TopicScheme;
  pending: PendingRequests;
  replyTopic: string;
  directory: AgentDirectory | undefined;
  timeoutMs: number;
}

const encoder = new TextEncoder();

export class RawRequests {
  readonly #o: RawRequestsOptions;
  readonly #requestTopics: RequestTopics;

  constructor(options: RawRequestsOptions) {
    this.#o = options;
    this.#requestTopics = new RequestTopics(options.topics);
  }

  /** One request, its one reply. Local failures (timeout, offline, abort) reject with A2AClientError. */
  call(agentId: string, method: string, params: unknown, options: RawRequestOptions = {}): Promise<RawReply> {
    return new Promise<RawReply>((resolve, reject) => {
      const id = newId();
      const timeoutMs = options.timeoutMs ?? this.#o.timeoutMs;
      let done = false;
      const finish = (error: unknown, reply?: RawReply) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        this.#o.pending.delete(id, entry);
        if (error === undefined) resolve(reply!);
        else reject(error);
      };
      const onAbort = () => finish(abortError(options.signal!, `${method} to ${agentId}`));
      const send = () => this.#publish(agentId, id, method, params, options, timeoutMs).catch((e: unknown) => finish(e));
      const entry: PendingEntry = {
        id,
        agent: agentId,
        deliver: (frame) => finish(undefined, toReply(frame)),
        fail: (error) => finish(error),
        sessionLost: () => void send(),
      };
      if (options.signal?.aborted) return onAbort();
      if (!this.#o.pending.add(entry)) return reject(tooMany());
      const timer = setTimeout(() => finish(timeoutError(agentId, method, timeoutMs)), timeoutMs);
      options.signal?.addEventListener("abort", onAbort, { once: true });
      void send();
    });
  }

  /**
   * One request, its frames in `seq` order until the final one (an error frame also ends
   * the stream). Leaving the loop early stops listening.
   */
  stream(agentId: string, method: string, params: unknown, options: RawRequestOptions = {}): AsyncIterable<RawReply> {
    const id = newId();
    const timeoutMs = options.timeoutMs ?? this.#o.timeoutMs;
    const { signal } = options;
    const onAbort = () => reader.fail(abortError(signal!, `${method} to ${agentId}`));
    const reader = new StreamReader<RawReply>({
      onEnd: () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.#o.pending.delete(id, entry);
      },
    });
    const send = () => this.#publish(agentId, id, method, params, options, timeoutMs).catch((e: unknown) => reader.fail(e));
    const entry: PendingEntry = {
      id,
      agent: agentId,
      deliver: (frame) => {
        clearTimeout(timer);
        const reply = toReply(frame);
        const final = frame.final === true || "error" in reply || (frame.seq === undefined && endsStream(frame.result));
        reader.push(reply, frame.seq === undefined ? { final } : { seq: frame.seq, final });
      },
      fail: (error) => reader.fail(error),
      sessionLost: () => {
        if (!reader.received) return void send();
        reader.fail(new A2AClientError("CONNECTION_LOST", `The broker connection was lost with its session during ${method} to ${agentId}; events may be missing.`));
      },
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (signal?.aborted) onAbort();
    else if (!this.#o.pending.add(entry)) reader.fail(tooMany());
    else {
      timer = setTimeout(() => reader.fail(timeoutError(agentId, method, timeoutMs)), timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      void send();
    }
    return reader;
  }

  async #publish(agentId: string, id: string, method: string, params: unknown, options: RawRequestOptions, timeoutMs: number): Promise<void> {
    const info = this.#o.directory?.get(agentId);
    if (info?.status === "offline") {
      throw new A2AClientError("AGENT_OFFLINE", `Agent ${agentId} is offline according to its Agent Card; retry when it is back online.`);
    }
    const { transport } = this.#o;
    const messageProperties = transport.capabilities.messageProperties;
    const request: Record<string, unknown> = { jsonrpc: "2.0", id, method };
    if (params !== undefined) request.params = params;
    const encoded = encodeRequest({
      request,
      replyTopic: this.#o.replyTopic,
      ...(messageProperties ? { correlationData: encoder.encode(id) } : {}),
      serviceParams: options.serviceParams ?? {},
      messageProperties,
      messageExpiryInterval: Math.max(1, Math.ceil(timeoutMs / 1000)),
    });
    const publishOptions: PublishOptions = options.signal ? { ...encoded.options, signal: options.signal } : encoded.options;
    const result = await transport.publish(this.#requestTopics.of(agentId), encoded.payload, publishOptions);
    if (messageProperties && result.reasonCode === 0x10) {
      throw new A2AClientError("AGENT_OFFLINE", `No agent is listening for ${agentId} (the broker reported no matching subscribers).`);
    }
  }
}

function toReply(frame: ReplyFrame): RawReply {
  return frame.error !== undefined ? { error: frame.error } : { result: frame.result };
}

/** The end of a stream whose frames carry no `seq`: 1.0 events, or 0.3 `kind` forms. */
function endsStream(result: unknown): boolean {
  if (isStreamEnd(result)) return true;
  if (typeof result !== "object" || result === null) return false;
  const r = result as { kind?: unknown; final?: unknown; status?: { state?: unknown } };
  if (r.kind === "message") return true;
  if (r.kind === "status-update") return r.final === true;
  return r.kind === "task" && isStreamEnd({ task: r });
}

function timeoutError(agentId: string, method: string, ms: number): A2AClientError {
  return new A2AClientError("TIMEOUT", `Agent ${agentId} did not answer ${method} within ${ms} ms; it may be offline or busy.`);
}

function tooMany(): RangeError {
  return new RangeError("Too many calls in flight on this client; wait for some to finish before starting more.");
}
