import { A2AClientError } from "./errors.js";

/**
 * Turns the frames of one streamed reply (pushed by the reply dispatcher as they
 * arrive) into an ordered async iterable.
 *
 * Frames carry `seq` (0, 1, 2, ...) so that a QoS 1 redelivery is recognised and
 * dropped, and a frame that overtook another (possible across a reconnect) waits for
 * its predecessor. The stream ends after the frame marked `final`, or with an error.
 */
export interface StreamReaderOptions {
  /**
   * Most frames held (out of order or not yet consumed) before the stream fails with
   * INVALID_RESPONSE, so a runaway or malicious agent cannot exhaust memory.
   * @default 10_000
   */
  maxBuffered?: number;
  /** Called once when the stream ends for any reason (final frame, error, consumer left), with the error if it failed. */
  onEnd?: (error: unknown) => void;
}

type Waiter<T> = { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void };

export class StreamReader<T> implements AsyncIterable<T> {
  readonly #maxBuffered: number;
  readonly #onEnd: ((error: unknown) => void) | undefined;
  /** In-order values not yet taken by the consumer. */
  readonly #ready: T[] = [];
  /** Frames that arrived ahead of `#nextSeq`, by seq. */
  readonly #ahead = new Map<number, { value: T; final: boolean; eventSeq: number | undefined }>();
  #nextSeq = 0;
  /** The seq of the final frame once it arrived (possibly ahead of a gap). */
  #finalSeq: number | undefined;
  #done = false;
  #error: unknown;
  #waiter: Waiter<T> | undefined;
  #iterating = false;
  #ended = false;
  #received = false;
  /** The task event number of the last frame put in order (frames that carry one). */
  #lastEventSeq: number | undefined;

  constructor(options: StreamReaderOptions = {}) {
    this.#maxBuffered = options.maxBuffered ?? 10_000;
    this.#onEnd = options.onEnd;
  }

  /** True once at least one frame arrived (used for first-reply timeouts). */
  get received(): boolean {
    return this.#received;
  }

  /**
   * The task event number (`eventSeq`) of the last frame taken in order: where a stream
   * that was lost resumes. Undefined when the agent does not number its events.
   */
  get lastEventSeq(): number | undefined {
    return this.#lastEventSeq;
  }

  /**
   * The stream continues under a new request (a resumed SubscribeToTask): its frames
   * are numbered from 0 again; frames of the old one not yet in order are dropped (the
   * resumed stream sends them again, and those already taken are recognised by their
   * `eventSeq` and dropped).
   */
  restart(): void {
    if (this.settled) return;
    this.#ahead.clear();
    this.#nextSeq = 0;
    this.#finalSeq = undefined;
  }

  /** True once the stream has ended (final frame delivered to the buffer, failed or closed). */
  get settled(): boolean {
    return this.#done || this.#error !== undefined;
  }

  /**
   * Adds one frame. A frame without `seq` is taken in arrival order (an agent that does
   * not number its frames); a frame whose seq was already seen is dropped.
   */
  push(value: T, frame: { seq?: number; final?: boolean; eventSeq?: number } = {}): void {
    if (this.settled) return;
    this.#received = true;
    const seq = frame.seq ?? this.#nextSeq;
    const final = frame.final === true;
    if (!Number.isSafeInteger(seq) || seq < this.#nextSeq || this.#ahead.has(seq)) return; // duplicate
    if (this.#finalSeq !== undefined && seq > this.#finalSeq) return; // nothing follows the final frame
    if (final) this.#finalSeq = seq;
    if (seq === this.#nextSeq && this.#ahead.size === 0) {
      // In order, nothing waiting (the usual case): taken without a trip through `#ahead`.
      this.#take(value, final, frame.eventSeq);
    } else {
      this.#ahead.set(seq, { value, final, eventSeq: frame.eventSeq });
      while (!this.#done && this.#ahead.has(this.#nextSeq)) {
        const next = this.#ahead.get(this.#nextSeq)!;
        this.#ahead.delete(this.#nextSeq);
        this.#take(next.value, next.final, next.eventSeq);
      }
    }
    if (this.#ready.length + this.#ahead.size > this.#maxBuffered) {
      this.fail(
        new A2AClientError(
          "INVALID_RESPONSE",
          `The stream buffered more than ${this.#maxBuffered} frames (consumer too slow or frames missing); it was ended.`,
        ),
      );
      return;
    }
    this.#wake();
    if (this.#done) this.#end();
  }

  /** Puts the frame numbered `#nextSeq` in order. */
  #take(value: T, final: boolean, eventSeq: number | undefined): void {
    this.#nextSeq += 1;
    if (eventSeq !== undefined) {
      // A resumed stream may repeat an event already taken: once, in order, no gap.
      const repeat = this.#lastEventSeq !== undefined && eventSeq <= this.#lastEventSeq && !final;
      if (this.#lastEventSeq === undefined || eventSeq > this.#lastEventSeq) this.#lastEventSeq = eventSeq;
      if (repeat) return;
    }
    this.#ready.push(value);
    if (final) {
      this.#done = true;
      this.#ahead.clear();
    }
  }

  /** Ends the stream with `error` (after the values already in order are consumed). */
  fail(error: unknown): void {
    if (this.settled) return;
    this.#error = error;
    this.#ahead.clear();
    this.#wake();
    this.#end();
  }

  /** Ends the stream quietly (no more values; pending ones are still delivered). */
  close(): void {
    if (this.settled) return;
    this.#done = true;
    this.#ahead.clear();
    this.#wake();
    this.#end();
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#onEnd?.(this.#error);
  }

  #wake(): void {
    const waiter = this.#waiter;
    if (!waiter) return;
    if (this.#ready.length > 0) {
      this.#waiter = undefined;
      waiter.resolve({ value: this.#ready.shift() as T, done: false });
    } else if (this.#done) {
      this.#waiter = undefined;
      waiter.resolve({ value: undefined, done: true });
    } else if (this.#error !== undefined) {
      this.#waiter = undefined;
      waiter.reject(this.#error);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.#iterating) throw new A2AClientError("INVALID_ARGUMENT", "A stream can be iterated only once; collect it into an array to reuse it.");
    this.#iterating = true;
    return {
      next: () =>
        new Promise<IteratorResult<T>>((resolve, reject) => {
          // Settled at once when a value, the end or an error is there; else on the next one.
          this.#waiter = { resolve, reject };
          this.#wake();
        }),
      return: () => {
        // The consumer left the loop early: stop listening, drop what is buffered.
        this.#ready.length = 0;
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
