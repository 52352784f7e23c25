import type { StreamResponse } from "@a2a/schema";

/** Thrown from a subscription whose consumer fell more than its buffer behind. */
export class SubscriberOverflowError extends Error {
  override readonly name = "SubscriberOverflowError";
}

interface Subscriber {
  queue: StreamResponse[];
  wake: (() => void) | undefined;
  closed: boolean;
  overflowed: boolean;
}

/**
 * The events of one task, fanned out to every subscriber in publish order. Events are
 * shared, not copied: publishers never mutate an event after publishing it. Each
 * subscriber has a bounded buffer; one that falls behind is cut off with
 * {@link SubscriberOverflowError} rather than growing memory without bound.
 */
export class TaskEventBus {
  readonly #subscribers = new Set<Subscriber>();
  readonly #maxBuffered: number;
  #closed = false;

  constructor(options: { maxBuffered: number }) {
    this.#maxBuffered = Math.max(1, options.maxBuffered);
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  publish(event: StreamResponse): void {
    if (this.#closed) return;
    for (const sub of this.#subscribers) {
      if (sub.closed) continue;
      if (sub.queue.length >= this.#maxBuffered) {
        sub.overflowed = true;
        sub.closed = true;
        sub.queue.length = 0;
      } else {
        sub.queue.push(event);
      }
      sub.wake?.();
    }
  }

  /** Ends every subscription after its buffered events; later publishes are ignored. */
  close(): void {
    this.#closed = true;
    for (const sub of this.#subscribers) {
      sub.closed = true;
      sub.wake?.();
    }
    this.#subscribers.clear();
  }

  /**
   * Subscribes synchronously (no event published after this call is missed) and
   * returns the events as an async iterable. Leaving the loop unsubscribes.
   */
  subscribe(): AsyncIterable<StreamResponse> & { close(): void } {
    const sub: Subscriber = { queue: [], wake: undefined, closed: this.#closed, overflowed: false };
    if (!this.#closed) this.#subscribers.add(sub);
    const unsubscribe = (): void => {
      sub.closed = true;
      this.#subscribers.delete(sub);
      sub.wake?.();
    };
    const bufferLimit = this.#maxBuffered;
    return {
      close: unsubscribe,
      [Symbol.asyncIterator]: () => new SubscriptionIterator(sub, unsubscribe, bufferLimit),
    };
  }
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/**
 * The events of one subscription, written out rather than as an async generator: each
 * event then costs one promise instead of a generator's several, and every stream frame
 * passes through here.
 */
class SubscriptionIterator implements AsyncIterator<StreamResponse, undefined> {
  readonly #sub: Subscriber;
  readonly #unsubscribe: () => void;
  readonly #bufferLimit: number;
  #finished = false;

  constructor(sub: Subscriber, unsubscribe: () => void, bufferLimit: number) {
    this.#sub = sub;
    this.#unsubscribe = unsubscribe;
    this.#bufferLimit = bufferLimit;
  }

  next(): Promise<IteratorResult<StreamResponse, undefined>> {
    if (this.#finished) return Promise.resolve(DONE);
    const sub = this.#sub;
    const event = sub.queue.shift();
    if (event !== undefined) return Promise.resolve({ value: event, done: false });
    if (sub.overflowed) {
      this.#finish();
      return Promise.reject(new SubscriberOverflowError(`Subscriber fell more than ${this.#bufferLimit} events behind and was dropped`));
    }
    if (sub.closed) {
      this.#finish();
      return Promise.resolve(DONE);
    }
    return new Promise<void>((resolve) => {
      sub.wake = resolve;
    }).then(this.#woken);
  }

  /** Made once per subscription rather than once per wait. */
  readonly #woken = (): Promise<IteratorResult<StreamResponse, undefined>> => {
    this.#sub.wake = undefined;
    return this.next();
  };

  return(): Promise<IteratorResult<StreamResponse, undefined>> {
    this.#finish();
    return Promise.resolve(DONE);
  }

  #finish(): void {
    this.#finished = true;
    this.#unsubscribe();
  }
}
