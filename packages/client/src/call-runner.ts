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
}

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

  constructor(options: CallRunnerOptions) {
    this.#o = options;
    this.pending = options.pending;
    this.timeoutMs = options.timeoutMs;
  }

  unary(request: UnaryRequest): Promise<unknown> {
    if (this.closed) return Promise.reject(closedError());
    const call = new UnaryCall(request, this);
    this.#begin(call);
    if (call.start("answer")) this.#send(call);
    return call.promise;
  }

  stream(request: StreamRequest): AsyncIterator<StreamEvent> {
    const call = new StreamCall(request, this);
    if (this.closed) call.fail(closedError());
    else {
      this.#begin(call);
      if (call.start("send its first event")) this.#send(call);
    }
    return call.reader[Symbol.asyncIterator]();
  }

  info(agentId: string, signal?: AbortSignal): Promise<AgentInfo | undefined> {
    return this.#o.info(agentId, signal);
  }

  #begin(call: PendingCall): void {
    call.span = this.#o.telemetry.begin(call, this.#o.requestTopics.of(call.agent));
  }

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
