/** One caller waiting for the client to connect. */
export interface ConnectWaiter {
  /** Settles with the attempt this waiter joined. */
  readonly ready: Promise<void>;
  /** This waiter no longer waits (its call timed out or was aborted). Idempotent. */
  readonly leave: () => void;
}

interface Attempt {
  readonly controller: AbortController;
  readonly promise: Promise<void>;
  waiters: number;
  settled: boolean;
}

/**
 * The client's connect, shared by everyone waiting for it: the first call, `connect()`,
 * calls made meanwhile. An attempt is aborted only when every waiter has left (each call
 * brings its own deadline and signal), so one impatient caller never fails the others; the
 * next waiter then starts a new attempt, after the abandoned one has wound down.
 */
export class ConnectGate {
  readonly #open: (signal: AbortSignal) => Promise<void>;
  #attempt: Attempt | undefined;
  /** The last attempt, settled or not: a new one starts after it. */
  #last: Promise<unknown> = Promise.resolve();

  constructor(open: (signal: AbortSignal) => Promise<void>) {
    this.#open = open;
  }

  join(): ConnectWaiter {
    const attempt = (this.#attempt ??= this.#start());
    attempt.waiters += 1;
    let left = false;
    return {
      ready: attempt.promise,
      leave: () => {
        if (left) return;
        left = true;
        attempt.waiters -= 1;
        if (attempt.waiters > 0 || attempt.settled) return;
        if (this.#attempt === attempt) this.#attempt = undefined;
        attempt.controller.abort();
      },
    };
  }

  /** Resolves once no attempt is in progress (whatever its outcome). */
  idle(): Promise<unknown> {
    return this.#last;
  }

  #start(): Attempt {
    const controller = new AbortController();
    const promise = this.#last.then(() => this.#open(controller.signal));
    const attempt: Attempt = { controller, promise, waiters: 0, settled: false };
    this.#last = promise.catch(() => undefined);
    void promise.then(
      () => {
        attempt.settled = true;
      },
      () => {
        attempt.settled = true;
        if (this.#attempt === attempt) this.#attempt = undefined;
      },
    );
    return attempt;
  }
}
