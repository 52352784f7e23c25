import { A2AClientError, A2AProtocolError, abortError } from "./errors.js";
import type { PendingEntry, PendingRequests, ReplyFrame } from "./pending-requests.js";

/** Checks a result; a zod-style outcome. */
export type Parse = (value: unknown) => { success: true; data: unknown } | { success: false; error: Error };

/** What the sender needs to know to publish a request (again). */
export interface OutgoingRequest {
  readonly agentId: string;
  readonly id: string;
  readonly method: string;
  readonly params: unknown;
  readonly options: { signal?: AbortSignal; extensions?: string[] };
  readonly timeoutMs: number;
  /** True once the call has an outcome (answered, failed, timed out, aborted). */
  isDone(): boolean;
}

export interface UnaryCallOptions {
  agentId: string;
  id: string;
  method: string;
  params: unknown;
  options: { signal?: AbortSignal; extensions?: string[] };
  timeoutMs: number;
  pending: PendingRequests;
  parse: Parse;
  /** Publishes the request again without looking the agent up (a lost session). */
  resend: (call: OutgoingRequest) => Promise<void>;
}

/**
 * One request waiting for its one reply: the pending entry, the timeout and the abort
 * listener of a call, tied to one promise. A class rather than closures, since every
 * call makes one.
 */
export class UnaryCall implements PendingEntry, OutgoingRequest {
  readonly id: string;
  readonly agent: string;
  readonly method: string;
  readonly params: unknown;
  readonly options: { signal?: AbortSignal; extensions?: string[] };
  readonly timeoutMs: number;
  readonly promise: Promise<unknown>;
  readonly #pending: PendingRequests;
  readonly #parse: Parse;
  readonly #resend: (call: OutgoingRequest) => Promise<void>;
  #resolve!: (value: unknown) => void;
  #reject!: (error: unknown) => void;
  #done = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #onAbort: (() => void) | undefined;

  constructor(o: UnaryCallOptions) {
    this.id = o.id;
    this.agent = o.agentId;
    this.method = o.method;
    this.params = o.params;
    this.options = o.options;
    this.timeoutMs = o.timeoutMs;
    this.#pending = o.pending;
    this.#parse = o.parse;
    this.#resend = o.resend;
    this.promise = new Promise<unknown>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  get agentId(): string {
    return this.agent;
  }

  /**
   * Registers the call and arms its timeout and abort listener. False when it ended at
   * once (already aborted, or too many calls in flight): then there is nothing to send.
   */
  start(): boolean {
    const { signal } = this.options;
    if (signal?.aborted) {
      this.finish(abortError(signal, `${this.method} to ${this.agent}`));
      return false;
    }
    if (!this.#pending.add(this)) {
      this.#done = true;
      this.#reject(new RangeError("Too many calls in flight on this client; wait for some to finish before starting more."));
      return false;
    }
    this.#timer = setTimeout(onTimeout, this.timeoutMs, this);
    if (signal) {
      this.#onAbort = () => this.finish(abortError(signal, `${this.method} to ${this.agent}`));
      signal.addEventListener("abort", this.#onAbort, { once: true });
    }
    return true;
  }

  isDone(): boolean {
    return this.#done;
  }

  deliver(frame: ReplyFrame): void {
    if (frame.error) return this.finish(A2AProtocolError.fromJsonRpc(frame.error));
    const parsed = this.#parse(frame.result);
    if (!parsed.success) {
      const cause = parsed.error;
      return this.finish(
        new A2AClientError("INVALID_RESPONSE", `Agent ${this.agent} answered ${this.method} with an invalid result: ${cause.message}`, {
          cause,
        }),
      );
    }
    this.finish(undefined, parsed.data);
  }

  fail(error: unknown): void {
    this.finish(error);
  }

  sessionLost(): void {
    this.#resend(this).catch((e: unknown) => this.finish(e));
  }

  /** Settles the call once: `error`, or `value` when error is undefined. */
  finish(error: unknown, value?: unknown): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#timer);
    if (this.#onAbort !== undefined) this.options.signal?.removeEventListener("abort", this.#onAbort);
    this.#pending.delete(this.id, this);
    if (error === undefined) this.#resolve(value);
    else this.#reject(error);
  }
}

function onTimeout(call: UnaryCall): void {
  call.finish(
    new A2AClientError(
      "TIMEOUT",
      `Agent ${call.agent} did not answer to ${call.method} within ${call.timeoutMs} ms; it may be offline or busy (raise timeoutMs, or use returnImmediately or streaming for long tasks).`,
    ),
  );
}
