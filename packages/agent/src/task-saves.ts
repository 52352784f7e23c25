import type { Task } from "@a2a/schema";

const RESOLVED: Promise<void> = Promise.resolve();

/** Never saved yet; no save pending; one scheduled for the next tick; one being made. */
const SAVE_NEVER = 0;
const SAVE_IDLE = 1;
const SAVE_SCHEDULED = 2;
const SAVE_IN_FLIGHT = 3;
type SaveState = typeof SAVE_NEVER | typeof SAVE_IDLE | typeof SAVE_SCHEDULED | typeof SAVE_IN_FLIGHT;

const saveScheduled = (saves: TaskSaves): void => saves.runScheduledSave();

/** Where a live task is saved to. */
export interface TaskSaver {
  save(task: Task, bytes?: number): Promise<void>;
  /** Saves at once, when the store can (one in memory): a save then costs no promise. */
  saveNow?: ((task: Task, bytes?: number) => void) | undefined;
  /** A failed save (the task goes on). */
  onError(error: unknown): void;
}

/**
 * The saves of one task to its store (the base of {@link LiveTask}, so that a task
 * costs one object). The task's first state is saved at once (it is in the store from
 * the start); later changes are saved on the next tick, so that the changes a handler
 * makes in one go (status, artifact, completion, each a promise turn apart) are saved
 * once, in the state they left the task in. Saves go one at a time, each of the task as
 * it is when it starts; changes made during one are saved after it. The last state is
 * always saved, and {@link saving} waits for it.
 */
export abstract class TaskSaves<S extends TaskSaver = TaskSaver> {
  readonly task: Task;
  /** Where the task is saved, and whatever else its subclass needs of its agent. */
  protected readonly env: S;
  #saveState: SaveState = SAVE_NEVER;
  /** The task changed after the save in flight started. */
  #changed = false;
  #savedWaiters: Array<() => void> | undefined;

  constructor(task: Task, env: S) {
    this.task = task;
    this.env = env;
  }

  /** The task's estimated size when its subclass keeps count (handed to the store with each save). */
  protected get bytes(): number | undefined {
    return undefined;
  }

  /** Saves the task after a change (see the class). */
  protected requestSave(): void {
    const state = this.#saveState;
    if (state === SAVE_IDLE) this.#scheduleSave();
    else if (state === SAVE_IN_FLIGHT) this.#changed = true;
    else if (state === SAVE_NEVER) this.#saveNow();
    // SAVE_SCHEDULED: the save to come sees this change.
  }

  /** Settles when every change made so far has been saved. */
  get saving(): Promise<void> {
    if (this.#saveState === SAVE_IDLE || this.#saveState === SAVE_NEVER) return RESOLVED;
    return new Promise((resolve) => this.afterSaved(resolve));
  }

  /** Calls `callback` once every change made so far has been saved (at once when it has). */
  afterSaved(callback: () => void): void {
    if (this.#saveState === SAVE_IDLE || this.#saveState === SAVE_NEVER) callback();
    else (this.#savedWaiters ??= []).push(callback);
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
    const { saveNow } = this.env;
    if (saveNow !== undefined) {
      try {
        saveNow(this.task, this.bytes);
      } catch (error) {
        this.env.onError(error);
      }
      return this.#afterSave();
    }
    let saved: Promise<void>;
    try {
      saved = this.env.save(this.task, this.bytes);
    } catch (error) {
      saved = Promise.reject(error);
    }
    // Inline callbacks: a named function per task would cost more (and live as long).
    saved.then(
      () => this.#afterSave(),
      (error: unknown) => {
        this.env.onError(error);
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
}
