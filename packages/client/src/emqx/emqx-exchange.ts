import { randomBytes } from "node:crypto";
import type { PublishResult } from "@a2a/transport";
import { emqxRetryDelay, type EmqxRetryPolicy } from "@a2a/transport/binding";
import { A2AClientError, abortError } from "../errors.js";
import type { EmqxReply } from "./emqx-reply.js";

/** MQTT 5 PUBACK "No matching subscribers": nobody took the request. */
const NO_MATCHING_SUBSCRIBERS = 0x10;

/** Items and payload bytes an exchange holds unread; past either, it ends with OVERFLOW. */
export const MAX_QUEUED_REPLIES = 10_000;
export const MAX_QUEUED_REPLY_BYTES = 64 * 1024 * 1024;

/** Where an exchange registers the Correlation Data of each attempt (the requester's in-flight map). */
export interface CorrelationTable {
  /** `deliver` takes a reply and the byte size of its payload. */
  add(correlation: string, deliver: (reply: EmqxReply, bytes: number) => void): boolean;
  delete(correlation: string): void;
}

export interface ExchangeOptions {
  /** `org/unit/agent` and method, for messages. */
  target: string;
  method: string;
  policy: EmqxRetryPolicy;
  random: () => number;
  table: CorrelationTable;
  /** Publishes the request once with this Correlation Data (the payload is the same each time). */
  publish: (correlation: string, attempt: number) => Promise<PublishResult>;
  signal?: AbortSignal | undefined;
  /** Called once when the exchange ends. */
  onClose?: () => void;
  /** Said after "no responder is subscribed" (e.g. why a pool under `$` may hear nothing). */
  noSubscribersHint?: string | undefined;
}

/** Said by {@link Exchange.next} when no item came within the stream idle timeout. */
export const STALLED = Symbol("stalled");

/**
 * One logical operation under the profile's requester retry and timeout profile:
 * each publish attempt gets new Correlation Data (the payload, its JSON-RPC id and
 * Task.id stay the same); an attempt that was not accepted (publish failed, or nobody
 * subscribed) or got no correlated reply within `firstReplyTimeoutMs` is retried after
 * the backoff, up to `maxAttempts`; the first correlated item ends all retrying. Replies
 * to any attempt count (a responder may answer the first attempt late). After that,
 * `next()` waits at most `streamIdleTimeoutMs` per item and says {@link STALLED} instead.
 */
export class Exchange {
  readonly #o: ExchangeOptions;
  readonly #correlations: string[] = [];
  readonly #queue: Array<{ reply: EmqxReply; correlation: string; bytes: number }> = [];
  #queuedBytes = 0;
  /** The attempt that answered first: the exchange follows its items only. */
  #answered: string | undefined;
  #wake: (() => void) | undefined;
  #started = false;
  #closed = false;
  #endedWith: Error | undefined;

  constructor(options: ExchangeOptions) {
    this.#o = options;
  }

  /** The first correlated item, after as many attempts as it takes; throws when all attempts failed. */
  async first(): Promise<EmqxReply> {
    if (this.#started) throw new Error("Exchange.first() called twice");
    this.#started = true;
    const { policy, target, method } = this.#o;
    let lastFailure: "timeout" | "no-subscribers" | Error = "timeout";
    for (let attempt = 1; ; attempt++) {
      const correlation = randomBytes(16).toString("hex");
      if (!this.#o.table.add(correlation, (reply, bytes) => this.#push(reply, correlation, bytes))) {
        throw new A2AClientError("TOO_MANY_CALLS", "Too many calls in flight on this client; wait for some to finish before starting more.");
      }
      this.#correlations.push(correlation);
      let accepted = true;
      try {
        const result = await this.#o.publish(correlation, attempt);
        if (result.reasonCode === NO_MATCHING_SUBSCRIBERS || (result.reasonCode ?? 0) >= 0x80) {
          accepted = false;
          lastFailure = result.reasonCode === NO_MATCHING_SUBSCRIBERS ? "no-subscribers" : new Error(`the broker refused the request (PUBACK reason 0x${result.reasonCode!.toString(16)})`);
        }
      } catch (error) {
        if (this.#o.signal?.aborted) throw abortError(this.#o.signal, `${method} to ${target}`);
        // The client's own refusal (e.g. a token without TLS) is not the broker's: retrying cannot help.
        if (error instanceof A2AClientError) throw error;
        accepted = false;
        lastFailure = error instanceof Error ? error : new Error(String(error));
      }
      // A reply of an earlier attempt may still come: it ends the retrying as well.
      const first = await this.#take(accepted ? policy.firstReplyTimeoutMs : 0);
      if (first !== undefined) return first;
      if (accepted) lastFailure = "timeout";
      if (attempt >= policy.maxAttempts) throw this.#failure(lastFailure, attempt);
      const late = await this.#take(emqxRetryDelay(policy, attempt, this.#o.random));
      if (late !== undefined) return late;
    }
  }

  /** The next item after the first, or {@link STALLED} after `streamIdleTimeoutMs` without one. */
  async next(): Promise<EmqxReply | typeof STALLED> {
    return (await this.#take(this.#o.policy.streamIdleTimeoutMs)) ?? STALLED;
  }

  /** Ends the exchange with `error` (the client closed): a waiting call rejects with it. */
  fail(error: Error): void {
    this.#endedWith ??= error;
    this.close();
  }

  /** Forgets every Correlation Data of this exchange: later replies are dropped. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const correlation of this.#correlations) this.#o.table.delete(correlation);
    this.#o.onClose?.();
    this.#wake?.();
  }

  #push(reply: EmqxReply, correlation: string, bytes: number): void {
    if (this.#closed || (this.#answered !== undefined && correlation !== this.#answered)) return;
    // A responder flooding a slow consumer must not grow the client's memory without bound.
    if (this.#queue.length >= MAX_QUEUED_REPLIES || this.#queuedBytes + bytes > MAX_QUEUED_REPLY_BYTES) {
      this.fail(
        new A2AClientError(
          "OVERFLOW",
          `${this.#o.method} to ${this.#o.target}: more than ${MAX_QUEUED_REPLIES} replies or ${MAX_QUEUED_REPLY_BYTES} bytes arrived unread (consumer too slow, or the agent floods); the call was ended.`,
        ),
      );
      return;
    }
    this.#queuedBytes += bytes;
    this.#queue.push({ reply, correlation, bytes });
    this.#wake?.();
  }

  /** The next queued item, waiting at most `ms` (and never past an abort). */
  async #take(ms: number): Promise<EmqxReply | undefined> {
    const signal = this.#o.signal;
    for (;;) {
      if (signal?.aborted) throw abortError(signal, `${this.#o.method} to ${this.#o.target}`);
      if (this.#endedWith !== undefined) throw this.#endedWith;
      const item = this.#shift();
      if (item !== undefined || this.#closed || ms <= 0) return item;
      const woke = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => done(false), ms);
        const onAbort = () => done(true);
        const done = (value: boolean) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          this.#wake = undefined;
          resolve(value);
        };
        this.#wake = () => done(true);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
      if (!woke) return this.#shift();
    }
  }

  /**
   * The next item of the attempt that answered first. Two attempts may both be answered
   * (the first one late); each is a stream of its own, so the exchange keeps to one.
   */
  #shift(): EmqxReply | undefined {
    for (let item = this.#queue.shift(); item !== undefined; item = this.#queue.shift()) {
      this.#queuedBytes -= item.bytes;
      this.#answered ??= item.correlation;
      if (item.correlation === this.#answered) return item.reply;
    }
    return undefined;
  }

  #failure(reason: "timeout" | "no-subscribers" | Error, attempts: number): A2AClientError {
    const { target, method, policy } = this.#o;
    if (reason === "timeout") {
      return new A2AClientError(
        "TIMEOUT",
        `Agent ${target} did not answer ${method} within ${policy.firstReplyTimeoutMs} ms in ${attempts} attempts (the EMQX profile's retry profile); it may be offline or busy.`,
      );
    }
    if (reason === "no-subscribers") {
      const hint = this.#o.noSubscribersHint === undefined ? "" : ` ${this.#o.noSubscribersHint}`;
      return new A2AClientError("AGENT_OFFLINE", `No responder is subscribed to the request topic of ${target} (${attempts} attempts); the agent is offline.${hint}`);
    }
    return new A2AClientError("TIMEOUT", `${method} to ${target} could not be published in ${attempts} attempts: ${reason.message}`, { cause: reason });
  }
}
