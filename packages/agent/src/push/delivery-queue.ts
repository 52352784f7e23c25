import type { MemoryBudget } from "../memory-budget.js";

/** The result of one delivery attempt. */
export type AttemptResult = { ok: true } | { ok: false; retry: boolean; error: Error };

export interface DeliveryQueueOptions {
  /** Names the destination in error reports (never includes credentials). */
  describe: string;
  /** One attempt to deliver a body. Must not throw; must end by `signal`. */
  attempt: (body: string, signal: AbortSignal) => Promise<AttemptResult>;
  /** Bodies waiting; beyond it the oldest waiting one is dropped. */
  maxQueued: number;
  /** Attempts per body, the first included. */
  maxAttempts: number;
  /** Delay before the first retry; doubles per retry up to `maxDelayMs`, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  onError: (error: unknown) => void;
  random?: () => number;
  /** Bodies waiting or in flight count against it; a body it has no room for is dropped. */
  memoryBudget?: MemoryBudget;
}

/**
 * The ordered delivery of one push notification config: one body in flight at a time,
 * each retried with exponential backoff and jitter until it is delivered or its
 * attempts are used up, then the next. Nothing here blocks the caller of `push`.
 */
export class DeliveryQueue {
  readonly #o: DeliveryQueueOptions;
  readonly #queue: string[] = [];
  readonly #abort = new AbortController();
  #running = false;
  #idle: Promise<void> = Promise.resolve();
  #settleIdle: () => void = () => {};

  constructor(options: DeliveryQueueOptions) {
    this.#o = options;
  }

  /** Bodies waiting or in flight. */
  get pending(): number {
    return this.#queue.length + (this.#running ? 1 : 0);
  }

  get closed(): boolean {
    return this.#abort.signal.aborted;
  }

  push(body: string): void {
    if (this.closed) return;
    if (this.#queue.length >= this.#o.maxQueued) {
      this.#release(this.#queue.shift());
      this.#o.onError(new Error(`Push notifications to ${this.#o.describe}: more than ${this.#o.maxQueued} waiting; dropped the oldest`));
    }
    const budget = this.#o.memoryBudget;
    if (budget !== undefined) {
      if (!budget.makeRoom(body.length)) {
        this.#o.onError(new Error(`Push notification to ${this.#o.describe} dropped: the agent's memory budget is used up`));
        return;
      }
      budget.charge(body.length);
    }
    this.#queue.push(body);
    if (!this.#running) this.#start();
  }

  /** Resolves when nothing is waiting or in flight. */
  idle(): Promise<void> {
    return this.#idle;
  }

  /** Drops what is waiting and aborts what is in flight. */
  close(): void {
    for (const body of this.#queue.splice(0)) this.#release(body);
    this.#abort.abort();
  }

  #release(body: string | undefined): void {
    if (body !== undefined) this.#o.memoryBudget?.release(body.length);
  }

  #start(): void {
    this.#running = true;
    this.#idle = new Promise((resolve) => (this.#settleIdle = resolve));
    void this.#loop().finally(() => {
      this.#running = false;
      this.#settleIdle();
    });
  }

  async #loop(): Promise<void> {
    const signal = this.#abort.signal;
    for (let body = this.#queue.shift(); body !== undefined; body = this.#queue.shift()) {
      for (let attempt = 1; !signal.aborted; attempt++) {
        const result = await this.#o.attempt(body, signal);
        if (result.ok || signal.aborted) break;
        if (!result.retry || attempt >= this.#o.maxAttempts) {
          const why = result.retry ? `after ${attempt} attempts` : "(not retried)";
          this.#o.onError(new Error(`Push notification to ${this.#o.describe} failed ${why}: ${result.error.message}`, { cause: result.error }));
          break;
        }
        await sleep(this.#backoff(attempt), signal);
      }
      this.#release(body);
    }
  }

  /** Equal jitter: half the exponential delay fixed, half random, so retries spread out. */
  #backoff(attempt: number): number {
    const exp = Math.min(this.#o.maxDelayMs, this.#o.baseDelayMs * 2 ** (attempt - 1));
    return exp / 2 + (this.#o.random ?? Math.random)() * (exp / 2);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
