import { newId, type ServiceParams } from "@a2a/transport/binding";
import { A2AClientError, abortError, clientErrorOf } from "./errors.js";
import type { PendingEntry, PendingRequests, ReplyFrame } from "./pending-requests.js";
import type { CallSpan } from "./telemetry.js";

/** The options a call's request carries to the sender. */
export interface RequestOptions {
  signal?: AbortSignal | undefined;
  /** Extension URIs to activate (`A2A-Extensions`). */
  extensions?: string[] | undefined;
  /** A bearer token for this call (`a2a-authorization`), instead of the client's `bearerToken`. */
  bearerToken?: string | undefined;
  /** Pass-through requests only: the service parameters, sent exactly as given. */
  serviceParams?: ServiceParams | undefined;
}

/** What the sender needs to know to publish a request (again). */
export interface OutgoingRequest {
  readonly agentId: string;
  readonly id: string;
  readonly method: string;
  readonly params: unknown;
  readonly options: RequestOptions;
  readonly timeoutMs: number;
  /** The call's span, whose trace context the request carries. */
  readonly span?: CallSpan | undefined;
  /** True once the call has an outcome (answered, failed, timed out, aborted). */
  isDone(): boolean;
}

/** Publishes requests once the client is connected. */
export interface Publisher {
  /** Checks the agent's card, then publishes. */
  publish(request: OutgoingRequest): Promise<void>;
  /** Publishes again without looking the agent up (the session was lost). */
  resend(request: OutgoingRequest): Promise<void>;
}

/** What every call shares with its client. */
export interface CallContext {
  readonly pending: PendingRequests;
  /** The default `timeoutMs`. */
  readonly timeoutMs: number;
  /** Set once the client is connected. */
  readonly publisher: Publisher | undefined;
}

/** What a call is made of: where it goes, what it asks, and its options. */
export interface CallRequest {
  readonly agentId: string;
  readonly method: string;
  readonly params: unknown;
  readonly options?: (RequestOptions & { timeoutMs?: number | undefined }) | undefined;
}

const NO_OPTIONS: RequestOptions = Object.freeze({});

/**
 * The core of every call, unary or streamed: its entry in the table of pending calls,
 * its deadline and its abort listener, settled once by whatever comes first (a reply, the
 * deadline, the signal, the client closing, the agent going offline). A class rather than
 * closures, since every call makes one.
 */
export abstract class PendingCall implements PendingEntry, OutgoingRequest {
  id: string;
  readonly agent: string;
  method: string;
  params: unknown;
  readonly options: RequestOptions;
  readonly timeoutMs: number;
  /** True while the call waits for the client to connect (its deadline covers that). */
  connecting = false;
  /** Called once when the call settles (a connect waiting for it is told it left). */
  onSettle: (() => void) | undefined;
  /** The call's span, ended with its outcome. */
  span: CallSpan | undefined;
  protected readonly context: CallContext;
  #done = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedMs = 0;
  #waitingFor = "answer";
  #onAbort: (() => void) | undefined;

  constructor(request: CallRequest, context: CallContext) {
    this.id = newId();
    this.agent = request.agentId;
    this.method = request.method;
    this.params = request.params;
    const options = request.options ?? NO_OPTIONS;
    this.options = options;
    this.timeoutMs = (options as { timeoutMs?: number }).timeoutMs ?? context.timeoutMs;
    this.context = context;
  }

  get agentId(): string {
    return this.agent;
  }

  /**
   * Registers the call, has `send` publish its request, then arms its deadline and abort
   * listener: in the same turn, but after the request left, so that they are not part
   * of its round trip. Nothing is sent when the call ends at once (already aborted, or
   * too many calls in flight).
   */
  start(waitingFor: string, send: (call: PendingCall) => void): void {
    const { signal } = this.options;
    if (signal?.aborted) return this.finish(abortError(signal, `${this.method} to ${this.agent}`));
    if (!this.context.pending.add(this)) return this.finish(tooManyCalls());
    send(this);
    if (this.#done) return;
    this.arm(this.timeoutMs, waitingFor);
    if (signal) {
      this.#onAbort = () => this.finish(abortError(signal, `${this.method} to ${this.agent}`));
      // Aborted while sending: a listener added now would never hear of it.
      if (signal.aborted) return this.#onAbort();
      signal.addEventListener("abort", this.#onAbort, { once: true });
    }
  }

  /** (Re)arms the deadline: the call fails with TIMEOUT unless it settles or is re-armed within `ms`. */
  protected arm(ms: number, waitingFor: string): void {
    clearTimeout(this.#timer);
    this.#armedMs = ms;
    this.#waitingFor = waitingFor;
    this.#timer = setTimeout(expire, ms, this);
  }

  protected disarm(): void {
    clearTimeout(this.#timer);
  }

  /** The deadline passed. */
  expire(): void {
    const ms = this.#armedMs;
    this.finish(
      this.connecting
        ? new A2AClientError(
            "TIMEOUT",
            `Connecting to the broker took longer than the ${ms} ms ${this.method} to ${this.agent} allows; check that the broker URL is right and the broker is running (or raise timeoutMs).`,
          )
        : new A2AClientError(
            "TIMEOUT",
            `Agent ${this.agent} did not ${this.#waitingFor} to ${this.method} within ${ms} ms; it may be offline or busy (raise timeoutMs, or use returnImmediately or streaming for long tasks).`,
          ),
    );
  }

  isDone(): boolean {
    return this.#done;
  }

  abstract deliver(frame: ReplyFrame): void;

  fail(error: unknown): void {
    this.finish(error);
  }

  sessionLost(): void {
    void this.context.publisher?.resend(this).catch((e: unknown) => this.finish(clientErrorOf(e, "TRANSPORT_FAILED")));
  }

  /** Settles the call once: `error`, or `value` when error is undefined. */
  finish(error: unknown, value?: unknown): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#timer);
    if (this.#onAbort !== undefined) this.options.signal?.removeEventListener("abort", this.#onAbort);
    this.context.pending.delete(this.id, this);
    this.onSettle?.();
    this.span?.end(error, value);
    this.settle(error, value);
  }

  /** Hands the outcome on (resolve a promise, end a stream). */
  protected abstract settle(error: unknown, value: unknown): void;
}

function expire(call: PendingCall): void {
  call.expire();
}

export function tooManyCalls(): A2AClientError {
  return new A2AClientError("TOO_MANY_CALLS", "Too many calls in flight on this client; wait for some to finish before starting more.");
}

export function invalidResult(agentId: string, method: string, cause: Error): A2AClientError {
  return new A2AClientError("INVALID_RESPONSE", `Agent ${agentId} answered ${method} with an invalid result: ${cause.message}`, { cause });
}

export function connectionLost(agentId: string, method: string, advice: string): A2AClientError {
  return new A2AClientError(
    "CONNECTION_LOST",
    `The broker connection was lost with its session during ${method} to ${agentId}; events may be missing.${advice}`,
  );
}
