import { FRAME_BATCH_EXTENSION_URI, MAX_BATCH_CHARS } from "@a2a/transport/binding";
import type { AgentInfo } from "./discovery.js";
import { clientErrorOf, closedError } from "./errors.js";
import type { CallContext, PendingCall, Publisher } from "./pending-call.js";
import type { PendingRequests } from "./pending-requests.js";
import type { RequestTopics } from "./request-topics.js";
import { StreamCall, type StreamRequest } from "./stream-call.js";
import type { StreamEvent } from "./stream-event.js";
import type { ClientTelemetry } from "./telemetry.js";
import { UnaryCall, type UnaryRequest } from "./unary-call.js";

/** What an {@link AgentHandle} needs of its client: making calls and reading the directory. */
export interface AgentCalls {
  /** One request, one checked result. */
  unary(request: UnaryRequest): Promise<unknown>;
  /** One request, its events in order. */
  stream(request: StreamRequest): AsyncIterator<StreamEvent>;
  /** The agent's directory entry, once the retained cards arrived. */
  info(agentId: string, signal?: AbortSignal): Promise<AgentInfo | undefined>;
}

export interface CallRunnerOptions {
  pending: PendingRequests;
  /** The default `timeoutMs` of a call. */
  timeoutMs: number;
  telemetry: ClientTelemetry;
  requestTopics: RequestTopics;
  /** Waits, on behalf of `call`, until the client is connected; resolves with its publisher. */
  connect: (call: PendingCall) => Promise<Publisher>;
  info: AgentCalls["info"];
  /** The client's limit for one reply: frame batches are asked for only when a full batch fits. */
  maxPayloadBytes?: number | undefined;
}

/**
 * The smallest reply limit at which streams ask for frame batches: a full batch (its
 * characters, up to 4 bytes each in UTF-8) fits.
 */
const BATCH_PAYLOAD_BYTES = 4 * MAX_BATCH_CHARS + 1024;

/**
 * Starts the calls of a client: each gets its span, its deadline and its entry in the
 * table of pending calls at once, then its request goes out, after connecting when the
 * client is not connected yet (the call's deadline and signal cover that too).
 */
export class CallRunner implements CallContext, AgentCalls {
  readonly pending: PendingRequests;
  readonly timeoutMs: number;
  /** Set once the client is connected. */
  publisher: Publisher | undefined;
  closed = false;
  readonly #o: CallRunnerOptions;

  readonly #frameBatches: boolean;

  constructor(options: CallRunnerOptions) {
    this.#o = options;
    this.pending = options.pending;
    this.timeoutMs = options.timeoutMs;
    this.#frameBatches = (options.maxPayloadBytes ?? Number.POSITIVE_INFINITY) >= BATCH_PAYLOAD_BYTES;
  }

  /** The stream asks the agent for frame batches (binding section 5.2) unless told not to. */
  #withFrameBatches(request: StreamRequest): StreamRequest {
    const options = request.options;
    if (!this.#frameBatches || options?.frameBatches === false) return request;
    return { ...request, options: { ...options, extensions: [...(options?.extensions ?? []), FRAME_BATCH_EXTENSION_URI] } };
  }

  unary(request: UnaryRequest): Promise<unknown> {
    if (this.closed) return Promise.reject(closedError());
    const call = new UnaryCall(request, this);
    this.#begin(call);
    call.start("answer", this.#sendCall);
    return call.promise;
  }

  stream(request: StreamRequest): AsyncIterator<StreamEvent> {
    const call = new StreamCall(this.#withFrameBatches(request), this);
    if (this.closed) call.fail(closedError());
    else {
      this.#begin(call);
      call.start("send its first event", this.#sendCall);
    }
    return call.reader[Symbol.asyncIterator]();
  }

  info(agentId: string, signal?: AbortSignal): Promise<AgentInfo | undefined> {
    return this.#o.info(agentId, signal);
  }

  #begin(call: PendingCall): void {
    call.span = this.#o.telemetry.begin(call, this.#o.requestTopics.of(call.agent));
  }

  readonly #sendCall = (call: PendingCall): void => this.#send(call);

  #send(call: PendingCall): void {
    const publisher = this.publisher;
    if (publisher !== undefined) {
      void publisher.publish(call).catch((e: unknown) => call.fail(clientErrorOf(e, "TRANSPORT_FAILED")));
      return;
    }
    call.connecting = true;
    void this.#o.connect(call).then(
      (connected) => {
        call.connecting = false;
        if (!call.isDone()) void connected.publish(call).catch((e: unknown) => call.fail(clientErrorOf(e, "TRANSPORT_FAILED")));
      },
      (error: unknown) => call.fail(error),
    );
  }
}
