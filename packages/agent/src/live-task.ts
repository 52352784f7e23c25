import type { Message, StreamResponse, Task } from "@a2a/schema";
import type { RegisteredSkill } from "./skill.js";
import { TaskEventBus } from "./task-event-bus.js";

const RESOLVED: Promise<void> = Promise.resolve();

/** Where a live task is saved to. */
export interface TaskSaver {
  save(task: Task): Promise<void>;
  /** A failed save (the task goes on). */
  onError(error: unknown): void;
}

/**
 * A task whose handler is queued, running or waiting for input, with what only such a
 * task needs. The event bus, the abort controller and the `done` promise are made on
 * first use: most tasks are never streamed, canceled or drained, and an agent holding
 * thousands of tasks should not pay for them.
 */
export class LiveTask {
  readonly task: Task;
  readonly contextId: string;
  readonly skill: RegisteredSkill;
  readonly firstMessage: Message;
  /** Releases the concurrency slot while the handler holds one. */
  release: (() => void) | undefined = undefined;
  waiter: { resolve: (m: Message) => void; reject: (e: unknown) => void; timer: NodeJS.Timeout } | undefined = undefined;
  /** Called once per stop (terminal or interrupted state) with a snapshot taken then. */
  readonly stopListeners = new Set<(task: Task) => void>();
  readonly #maxBufferedEvents: number;
  readonly #saver: TaskSaver;
  /** Saves requested and not yet made. */
  #unsaved = 0;
  #savedWaiters: Array<() => void> | undefined;
  #bus: TaskEventBus | undefined;
  #busClosed = false;
  #abort: AbortController | undefined;
  #settled = false;
  #done: Promise<void> | undefined;
  #resolveDone: (() => void) | undefined;

  constructor(options: {
    task: Task;
    contextId: string;
    skill: RegisteredSkill;
    firstMessage: Message;
    maxBufferedEvents: number;
    saver: TaskSaver;
  }) {
    this.task = options.task;
    this.contextId = options.contextId;
    this.skill = options.skill;
    this.firstMessage = options.firstMessage;
    this.#maxBufferedEvents = options.maxBufferedEvents;
    this.#saver = options.saver;
  }

  /**
   * Saves the task after a change: one save per request, one at a time, in order, each
   * of the task as it is when that save starts.
   */
  requestSave(): void {
    if (++this.#unsaved === 1) this.#saveNow();
  }

  /** Settles when every save requested so far has been made. */
  get saving(): Promise<void> {
    if (this.#unsaved === 0) return RESOLVED;
    return new Promise((resolve) => (this.#savedWaiters ??= []).push(resolve));
  }

  #saveNow(): void {
    let saved: Promise<void>;
    try {
      saved = this.#saver.save(this.task);
    } catch (error) {
      saved = Promise.reject(error);
    }
    // Inline callbacks: a named function per task would cost more (and live as long).
    saved.then(
      () => this.#afterSave(),
      (error: unknown) => {
        this.#saver.onError(error);
        this.#afterSave();
      },
    );
  }

  #afterSave(): void {
    if (--this.#unsaved > 0) return this.#saveNow();
    const waiters = this.#savedWaiters;
    this.#savedWaiters = undefined;
    if (waiters !== undefined) for (const resolve of waiters) resolve();
  }

  /** True once anyone subscribed to the events (only then are they worth making). */
  get observed(): boolean {
    return this.#bus !== undefined;
  }

  /** The task's events; subscribing to it sees every event published afterwards. */
  get bus(): TaskEventBus {
    if (this.#bus === undefined) {
      this.#bus = new TaskEventBus({ maxBuffered: this.#maxBufferedEvents });
      if (this.#busClosed) this.#bus.close();
    }
    return this.#bus;
  }

  /** Publishes an event to the subscribers (none yet: nobody to tell). */
  publish(event: StreamResponse): void {
    this.#bus?.publish(event);
  }

  /** Ends every subscription; later subscribers get nothing. */
  closeBus(): void {
    this.#busClosed = true;
    this.#bus?.close();
  }

  /** Aborted when the task is canceled or failed from outside its handler. */
  get abort(): AbortController {
    return (this.#abort ??= new AbortController());
  }

  get aborted(): boolean {
    return this.#abort?.signal.aborted === true;
  }

  /** Throws the abort reason once aborted (as `signal.throwIfAborted()`). */
  throwIfAborted(): void {
    this.#abort?.signal.throwIfAborted();
  }

  /** Settles when the handler has returned or thrown. */
  get done(): Promise<void> {
    if (this.#done === undefined) {
      this.#done = this.#settled ? RESOLVED : new Promise<void>((resolve) => (this.#resolveDone = resolve));
    }
    return this.#done;
  }

  /** The handler has returned or thrown. */
  settle(): void {
    this.#settled = true;
    this.#resolveDone?.();
  }
}
