import type { Message, StreamResponse, Task } from "@a2a/schema";
import type { EventWindow } from "./event-window.js";
import type { RegisteredSkill } from "./skill.js";
import { TaskEventBus } from "./task-event-bus.js";

const RESOLVED: Promise<void> = Promise.resolve();

/** Never saved yet; no save pending; one scheduled for the next tick; one being made. */
const SAVE_NEVER = 0;
const SAVE_IDLE = 1;
const SAVE_SCHEDULED = 2;
const SAVE_IN_FLIGHT = 3;
type SaveState = typeof SAVE_NEVER | typeof SAVE_IDLE | typeof SAVE_SCHEDULED | typeof SAVE_IN_FLIGHT;

const saveScheduled = (live: LiveTask): void => live.runScheduledSave();

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
  /** Numbers and keeps the recent events once the task is streamed (for resuming streams). */
  window: EventWindow | undefined = undefined;
  /** Called once per stop (terminal or interrupted state) with a snapshot taken then. */
  readonly stopListeners = new Set<(task: Task) => void>();
  readonly #maxBufferedEvents: number;
  readonly #saver: TaskSaver;
  #saveState: SaveState = SAVE_NEVER;
  /** The task changed after the save in flight started. */
  #changed = false;
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
   * Saves the task after a change. The task's first state is saved at once (it is in
   * the store from the start); later changes are saved on the next tick, so that the
   * changes a handler makes in one go (status, artifact, completion, each a promise turn
   * apart) are saved once, in the state they left the task in. Saves go one at a time,
   * each of the task as it is when it starts; changes made during one are saved after
   * it. The last state is always saved, and {@link saving} waits for it.
   */
  requestSave(): void {
    const state = this.#saveState;
    if (state === SAVE_IDLE) this.#scheduleSave();
    else if (state === SAVE_IN_FLIGHT) this.#changed = true;
    else if (state === SAVE_NEVER) this.#saveNow();
    // SAVE_SCHEDULED: the save to come sees this change.
  }

  /** Settles when every change made so far has been saved. */
  get saving(): Promise<void> {
    if (this.#saveState === SAVE_IDLE || this.#saveState === SAVE_NEVER) return RESOLVED;
    return new Promise((resolve) => (this.#savedWaiters ??= []).push(resolve));
  }

  #scheduleSave(): void {
    this.#saveState = SAVE_SCHEDULED;
    process.nextTick(saveScheduled, this);
  }

  /** @internal The scheduled save (through a module function: no closure per task). */
  runScheduledSave(): void {
    if (this.#saveState === SAVE_SCHEDULED) this.#saveNow();
  }

  #saveNow(): void {
    this.#saveState = SAVE_IN_FLIGHT;
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
    if (this.#changed) {
      this.#changed = false;
      return this.#scheduleSave();
    }
    this.#saveState = SAVE_IDLE;
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
    if (this.#bus === undefined) return;
    this.window?.append(event);
    this.#bus.publish(event);
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
