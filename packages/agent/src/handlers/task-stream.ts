import type { StreamResponse, Task } from "@a2a/schema";
import { isStreamEnd } from "@a2a/transport/binding";
import type { TaskManager, LiveTask } from "../task-manager.js";

/**
 * The events of a live task for one stream: first the task as it is after `begin`
 * ran, then its updates, ending at the first terminal or interrupted state. The bus
 * subscription is taken synchronously here so that no event is missed.
 */
export function taskStream(manager: TaskManager, live: LiveTask, begin: () => void = () => {}): AsyncIterable<StreamResponse> {
  const subscription = live.bus.subscribe();
  begin();
  const first: Task = manager.snapshot(live.task);
  return { [Symbol.asyncIterator]: () => new TaskStreamIterator(first, subscription) };
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/** Written out rather than as an async generator: one promise per event instead of several. */
class TaskStreamIterator implements AsyncIterator<StreamResponse, undefined> {
  #first: Task | undefined;
  readonly #subscription: AsyncIterable<StreamResponse> & { close(): void };
  #events: AsyncIterator<StreamResponse> | undefined;
  /** The event that ends the stream was handed out: the next call ends it. */
  #ending = false;
  #finished = false;

  constructor(first: Task, subscription: AsyncIterable<StreamResponse> & { close(): void }) {
    this.#first = first;
    this.#subscription = subscription;
  }

  next(): Promise<IteratorResult<StreamResponse, undefined>> {
    if (this.#finished || this.#ending) return this.return();
    const first = this.#first;
    if (first !== undefined) {
      this.#first = undefined;
      const event: StreamResponse = { task: first };
      this.#ending = isStreamEnd(event);
      return Promise.resolve({ value: event, done: false });
    }
    this.#events ??= this.#subscription[Symbol.asyncIterator]();
    return this.#events.next().then(
      (result) => this.#seen(result),
      (error: unknown) => {
        this.#finish();
        throw error;
      },
    );
  }

  return(): Promise<IteratorResult<StreamResponse, undefined>> {
    this.#finish();
    return Promise.resolve(DONE);
  }

  #seen(result: IteratorResult<StreamResponse>): IteratorResult<StreamResponse, undefined> {
    if (result.done === true) {
      this.#finish();
      return DONE;
    }
    this.#ending = isStreamEnd(result.value);
    return result;
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#subscription.close();
  }
}
