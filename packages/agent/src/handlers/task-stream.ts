import type { StreamResponse, Task } from "@a2a/schema";
import { isStreamEnd } from "@a2a/transport/binding";
import type { ResumeWindows } from "../event-window.js";
import type { FrameMembers, OperationStream } from "../operation.js";
import type { LiveTask } from "../live-task.js";

export interface TaskStreamOptions {
  /** Starts or resumes the task once the stream is subscribed (so that it misses no event). */
  begin?: (() => void) | undefined;
  /** Number the task's events (frame member `eventSeq`) and keep them for resuming. */
  windows?: ResumeWindows | undefined;
  /**
   * Resume after this task event: the stream starts with the events after it, or, when
   * the window no longer holds them, with the current Task marked as a gap.
   */
  resumeAfter?: number | undefined;
}

/**
 * The events of a live task for one stream: first the task as it is after `options.begin`
 * ran (or the missed events of a resumed stream), then its updates, ending at the first
 * terminal or interrupted state. The bus subscription is taken synchronously here so
 * that no event is missed.
 */
export function taskStream(live: LiveTask, options: TaskStreamOptions = {}): Required<Pick<OperationStream, "events" | "frameMembers">> {
  if (options.windows !== undefined) live.window ??= options.windows.open(live.task.id);
  const window = live.window;
  const subscription = live.bus.subscribe();
  // The bus hands this subscription every event from now on, numbered by the window
  // in the same order: the n-th one is event `before + n`.
  const before = window?.last ?? 0;
  options.begin?.();
  const head: Array<{ event: StreamResponse; members: FrameMembers | undefined }> = [];
  const missed = options.resumeAfter === undefined || window === undefined ? undefined : window.since(options.resumeAfter);
  if (missed !== undefined) {
    missed.forEach((event, i) => head.push({ event, members: { eventSeq: options.resumeAfter! + 1 + i } }));
  } else {
    const first: Task = live.snapshot();
    const members: FrameMembers | undefined = window === undefined ? undefined : { eventSeq: before };
    if (members !== undefined && options.resumeAfter !== undefined) members.gap = true;
    head.push({ event: { task: first }, members });
  }
  const iterator = new TaskStreamIterator(head, subscription, window === undefined ? undefined : before + 1);
  return { events: { [Symbol.asyncIterator]: () => iterator }, frameMembers: () => iterator.members };
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/** Written out rather than as an async generator: one promise per event instead of several. */
class TaskStreamIterator implements AsyncIterator<StreamResponse, undefined> {
  readonly #head: Array<{ event: StreamResponse; members: FrameMembers | undefined }>;
  readonly #subscription: AsyncIterable<StreamResponse> & { close(): void };
  #events: AsyncIterator<StreamResponse> | undefined;
  /** The event number of the next bus event; undefined when events are not numbered. */
  #nextSeq: number | undefined;
  /** The frame members of the event handed out last. */
  members: FrameMembers | undefined;
  /** The event that ends the stream was handed out: the next call ends it. */
  #ending = false;
  #finished = false;

  constructor(
    head: Array<{ event: StreamResponse; members: FrameMembers | undefined }>,
    subscription: AsyncIterable<StreamResponse> & { close(): void },
    nextSeq: number | undefined,
  ) {
    this.#head = head;
    this.#subscription = subscription;
    this.#nextSeq = nextSeq;
  }

  next(): Promise<IteratorResult<StreamResponse, undefined>> {
    if (this.#finished || this.#ending) return this.return();
    const first = this.#head.shift();
    if (first !== undefined) {
      this.members = first.members;
      this.#ending = isStreamEnd(first.event);
      return Promise.resolve({ value: first.event, done: false });
    }
    this.#events ??= this.#subscription[Symbol.asyncIterator]();
    return this.#events.next().then(this.#onResult, this.#onError);
  }

  // Made once per stream rather than once per event.
  readonly #onResult = (result: IteratorResult<StreamResponse>): IteratorResult<StreamResponse, undefined> => this.#seen(result);
  readonly #onError = (error: unknown): never => {
    this.#finish();
    throw error;
  };

  return(): Promise<IteratorResult<StreamResponse, undefined>> {
    this.#finish();
    return Promise.resolve(DONE);
  }

  #seen(result: IteratorResult<StreamResponse>): IteratorResult<StreamResponse, undefined> {
    if (result.done === true) {
      this.#finish();
      return DONE;
    }
    if (this.#nextSeq !== undefined) this.members = { eventSeq: this.#nextSeq++ };
    this.#ending = isStreamEnd(result.value);
    return result;
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#subscription.close();
  }
}
