import { encodeRequest, isStreamEnd, type JsonRpcErrorObject, type ServiceParams } from "@a2a/transport/binding";
import type { PublishOptions, Transport } from "@a2a/transport";
import type { AgentDirectory } from "./discovery.js";
import { A2AClientError, clientErrorOf } from "./errors.js";
import { PendingCall, connectionLost, type CallContext, type CallRequest, type OutgoingRequest, type Publisher } from "./pending-call.js";
import type { PendingRequests, ReplyFrame } from "./pending-requests.js";
import type { RequestTopics } from "./request-topics.js";
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

/** One request passed through: where it goes, what it asks, and its options. */
export interface RawRequest extends CallRequest {
  readonly options?: RawRequestOptions | undefined;
}

export interface RawRequestsOptions {
  transport: Transport;
  requestTopics: RequestTopics;
  pending: PendingRequests;
  replyTopic: string;
  directory: AgentDirectory | undefined;
  timeoutMs: number;
}

const encoder = new TextEncoder();

/** Pass-through calls on the client's connection, with the same pending-call core as typed calls. */
export class RawRequests implements Publisher, CallContext {
  readonly #o: RawRequestsOptions;
  readonly pending: PendingRequests;
  readonly timeoutMs: number;

  constructor(options: RawRequestsOptions) {
    this.#o = options;
    this.pending = options.pending;
    this.timeoutMs = options.timeoutMs;
  }

  get publisher(): Publisher {
    return this;
  }

  /** One request, its one reply. Local failures (timeout, offline, abort) reject with A2AClientError. */
  call(request: RawRequest): Promise<RawReply> {
    const call = new RawUnaryCall(request, this);
    call.start("answer", this.#sendCall);
    return call.promise;
  }

  /**
   * One request, its frames in `seq` order until the final one (an error frame also ends
   * the stream). Leaving the loop early stops listening.
   */
  stream(request: RawRequest): AsyncIterable<RawReply> {
    const call = new RawStreamCall(request, this);
    call.start("send its first frame", this.#sendCall);
    return call.reader;
  }

  readonly #sendCall = (call: PendingCall): void => this.#send(call);

  #send(call: PendingCall): void {
    void this.publish(call).catch((e: unknown) => call.fail(clientErrorOf(e, "TRANSPORT_FAILED")));
  }

  async publish(call: OutgoingRequest): Promise<void> {
    const info = this.#o.directory?.get(call.agentId);
    if (info?.status === "offline") {
      throw new A2AClientError("AGENT_OFFLINE", `Agent ${call.agentId} is offline according to its Agent Card; retry when it is back online.`);
    }
    await this.resend(call);
  }

  async resend(call: OutgoingRequest): Promise<void> {
    const { transport } = this.#o;
    const messageProperties = transport.capabilities.messageProperties;
    const request: Record<string, unknown> = { jsonrpc: "2.0", id: call.id, method: call.method };
    if (call.params !== undefined) request.params = call.params;
    const encoded = encodeRequest({
      request,
      replyTopic: this.#o.replyTopic,
      ...(messageProperties ? { correlationData: encoder.encode(call.id) } : {}),
      serviceParams: call.options.serviceParams ?? {},
      messageProperties,
      messageExpiryInterval: Math.max(1, Math.ceil(call.timeoutMs / 1000)),
    });
    const { signal } = call.options;
    const publishOptions: PublishOptions = signal ? { ...encoded.options, signal } : encoded.options;
    const result = await transport.publish(this.#o.requestTopics.of(call.agentId), encoded.payload, publishOptions);
    if (messageProperties && result.reasonCode === 0x10) {
      throw new A2AClientError("AGENT_OFFLINE", `No agent is listening for ${call.agentId} (the broker reported no matching subscribers).`);
    }
  }
}

class RawUnaryCall extends PendingCall {
  readonly promise: Promise<RawReply>;
  #resolve!: (value: RawReply) => void;
  #reject!: (error: unknown) => void;

  constructor(request: CallRequest, context: CallContext) {
    super(request, context);
    this.promise = new Promise<RawReply>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  deliver(frame: ReplyFrame): void {
    this.finish(undefined, toReply(frame));
  }

  protected settle(error: unknown, value: unknown): void {
    if (error === undefined) this.#resolve(value as RawReply);
    else this.#reject(error);
  }
}

class RawStreamCall extends PendingCall {
  readonly reader: StreamReader<RawReply>;

  constructor(request: CallRequest, context: CallContext) {
    super(request, context);
    this.reader = new StreamReader<RawReply>({ onEnd: (error) => this.finish(error) });
  }

  deliver(frame: ReplyFrame): void {
    this.disarm();
    const reply = toReply(frame);
    if ("error" in reply || (frame.seq === undefined && endsStream(frame.result))) frame.final = true;
    this.reader.push(reply, frame);
  }

  override sessionLost(): void {
    if (!this.reader.received) return super.sessionLost();
    this.fail(connectionLost(this.agent, this.method, ""));
  }

  protected settle(error: unknown): void {
    if (error === undefined) this.reader.close();
    else this.reader.fail(error);
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
