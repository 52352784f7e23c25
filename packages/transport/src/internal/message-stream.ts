import { TransportError } from "../errors.js";
import type { InboundMessage, MessageStream, Subscription } from "../transport.js";

/**
 * A queue between a subscription handler (push) and an async iterator (pull).
 * Bounded: a consumer that falls more than `maxBuffered` messages behind gets an
 * `overflow` error instead of letting memory grow without limit.
 */
export class MessageQueue {
  private readonly buffer: InboundMessage[] = [];
  private readonly waiters: Array<{
    resolve: (result: IteratorResult<InboundMessage>) => void;
    reject: (error: unknown) => void;
  }> = [];
  private ended = false;
  private failure: unknown;

  constructor(
    private readonly maxBuffered: number,
    private readonly onOverflow: () => void,
  ) {}

  push(message: InboundMessage): void {
    if (this.ended) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.resolve({ value: message, done: false });
      return;
    }
    if (this.buffer.length >= this.maxBuffered) {
      this.fail(
        new TransportError(
          "OVERFLOW",
          `A message stream buffered ${this.maxBuffered} unread messages; read it faster or raise maxBuffered.`,
        ),
      );
      this.onOverflow();
      return;
    }
    this.buffer.push(message);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const waiter of this.waiters.splice(0)) waiter.resolve({ value: undefined, done: true });
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.failure = error;
    this.ended = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  next(): Promise<IteratorResult<InboundMessage>> {
    const message = this.buffer.shift();
    if (message) return Promise.resolve({ value: message, done: false });
    if (this.ended) {
      if (this.failure !== undefined) {
        const failure: unknown = this.failure;
        this.failure = undefined;
        return Promise.reject(failure);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }
}

/** Wraps a subscription feeding `queue` as a `MessageStream`. */
export function createMessageStream(subscription: Subscription, queue: MessageQueue): MessageStream {
  const unsubscribe = async () => {
    queue.end();
    await subscription.unsubscribe();
  };
  return {
    filter: subscription.filter,
    unsubscribe,
    [Symbol.asyncIterator](): AsyncIterator<InboundMessage> {
      return {
        next: () => queue.next(),
        return: async () => {
          await unsubscribe();
          return { value: undefined, done: true };
        },
      };
    },
  };
}
