import { AgentUnavailableError } from "./agent-unavailable.js";

export interface TaskLimiterOptions {
  /** Tasks whose handlers run at the same time. */
  maxRunning: number;
  /** Tasks waiting for a slot; more are refused. */
  maxQueued: number;
}

/** A counting semaphore with a bounded FIFO queue: bounds how many skill handlers run. */
export class TaskLimiter {
  readonly #maxRunning: number;
  readonly #maxQueued: number;
  #running = 0;
  readonly #queue: Array<() => void> = [];

  constructor(options: TaskLimiterOptions) {
    this.#maxRunning = Math.max(1, options.maxRunning);
    this.#maxQueued = Math.max(0, options.maxQueued);
  }

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Throws a protocol error when a new task could neither run nor queue; call before
   * creating the task so that an overloaded agent refuses work instead of losing it.
   */
  checkAdmission(): void {
    if (this.#running < this.#maxRunning || this.#queue.length < this.#maxQueued) return;
    throw new AgentUnavailableError(`Agent is at capacity (${this.#running} tasks running, ${this.#queue.length} queued); retry later`);
  }

  /** Takes a free slot now, or returns undefined when none is free (nothing is queued). */
  tryAcquire(): (() => void) | undefined {
    if (this.#running >= this.#maxRunning) return undefined;
    this.#running++;
    return this.#releaser();
  }

  /**
   * Waits for a slot. `force` skips the queue bound (a resumed task already counted).
   * Rejects with the signal's reason when aborted while queued.
   */
  acquire(options: { signal?: AbortSignal; force?: boolean } = {}): Promise<() => void> {
    const { signal } = options;
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    if (this.#running < this.#maxRunning) {
      this.#running++;
      return Promise.resolve(this.#releaser());
    }
    if (options.force !== true && this.#queue.length >= this.#maxQueued) {
      return Promise.reject(new Error("Task queue is full"));
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener("abort", onAbort);
        this.#running++;
        resolve(this.#releaser());
      };
      const onAbort = (): void => {
        const i = this.#queue.indexOf(grant);
        if (i >= 0) this.#queue.splice(i, 1);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(grant);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running--;
      const next = this.#queue.shift();
      if (next !== undefined) next();
    };
  }
}

