import type { Message, StreamResponse } from "@a2a/schema";
import { InMemoryTaskStore } from "./in-memory-task-store.js";
import { LiveTask, type TaskEnvironment } from "./live-task.js";
import type { RegisteredSkill } from "./skill.js";
import { TaskContext } from "./task-context.js";
import type { TaskLimiter } from "./task-limiter.js";
import type { TaskStore } from "./task-store.js";
import type { TaskObserver } from "./telemetry/agent-telemetry.js";

const RESOLVED: Promise<void> = Promise.resolve();

export interface TaskManagerOptions {
  store: TaskStore;
  limiter: TaskLimiter;
  /** Events buffered per subscriber before it is dropped. */
  maxBufferedEvents: number;
  /** Default wait of `ctx.requestInput()`. */
  inputTimeoutMs: number;
  onError: (error: unknown) => void;
  /** Sees every status and artifact update of every task (push notifications). Must not throw. */
  onEvent?: (taskId: string, event: StreamResponse) => void;
  /** Sees each task created, run and ended (traces and metrics). */
  observer?: TaskObserver;
}

export interface CreateTaskOptions {
  /** The message starting the task (it carries no taskId). */
  message: Message;
  skill: RegisteredSkill;
  metadata?: Record<string, unknown> | undefined;
  /** The owner key kept with the task (scoped tasks). */
  owner?: string | undefined;
  /** The task's id when the requester chose it (the EMQX profile); a new UUID otherwise. */
  id?: string | undefined;
  /** The message's estimated size when known already (from its request's length). */
  bytes?: number | undefined;
}

/**
 * The live tasks of an agent and their scheduling: the registry by id, the handler
 * runs under the concurrency limit, and draining at stop. What a task is and how it
 * changes is the task's own ({@link LiveTask}).
 */
export class TaskManager {
  readonly #live = new Map<string, LiveTask>();
  readonly #store: TaskStore;
  readonly #limiter: TaskLimiter;
  readonly #observer: TaskObserver | undefined;
  readonly #onError: (error: unknown) => void;
  /** Shared by every live task. */
  readonly #env: TaskEnvironment;

  constructor(options: TaskManagerOptions) {
    this.#store = options.store;
    this.#limiter = options.limiter;
    this.#observer = options.observer;
    this.#onError = options.onError;
    const store = options.store;
    this.#env = {
      save: (task, bytes) => store.save(task, bytes),
      // A store in memory saves at once: no promise per save (unless a subclass changed how it saves).
      saveNow: store instanceof InMemoryTaskStore && store.save === InMemoryTaskStore.prototype.save ? (task, bytes) => store.saveNow(task, bytes) : undefined,
      onError: options.onError,
      onEvent: options.onEvent,
      maxBufferedEvents: options.maxBufferedEvents,
      inputTimeoutMs: options.inputTimeoutMs,
      limiter: options.limiter,
    };
  }

  get store(): TaskStore {
    return this.#store;
  }

  get liveCount(): number {
    return this.#live.size;
  }

  live(taskId: string): LiveTask | undefined {
    return this.#live.get(taskId);
  }

  /**
   * Creates (and saves) a task for a message. Nothing runs until {@link start}, so
   * that callers can subscribe to the task first. The caller has checked admission.
   */
  create(options: CreateTaskOptions): LiveTask {
    if (options.id !== undefined && this.#live.has(options.id)) throw new Error(`Task ${options.id} exists already`);
    const live = LiveTask.forMessage(options, this.#env);
    this.#live.set(live.id, live);
    this.#observer?.created(live);
    return live;
  }

  /** Runs the handler of a task made by {@link create} with the skill input. */
  start(live: LiveTask, input: unknown): void {
    void this.#run(live, input);
  }

  /** All live tasks' handlers settled, or `timeoutMs` elapsed. */
  async drain(timeoutMs: number): Promise<boolean> {
    const all = Promise.all([...this.#live.values()].map((l) => l.done)).then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends every live task as failed and aborts its handler; resolves when their handlers settled or after `timeoutMs`. */
  async abortAll(reason: string, timeoutMs: number): Promise<void> {
    for (const live of this.#live.values()) live.abort(reason);
    await this.drain(timeoutMs);
  }

  /** Persists pending writes of every live task. */
  async flush(): Promise<void> {
    await Promise.all([...this.#live.values()].map((l) => l.saving));
  }

  async #run(live: LiveTask, input: unknown): Promise<void> {
    // A free slot is taken without an abort signal (made only for tasks that queue);
    // the handler still starts a turn later, after whoever called start() looked.
    const granted = live.aborted ? undefined : this.#limiter.tryAcquire();
    try {
      if (granted === undefined) live.holdSlot(await this.#limiter.acquire({ signal: live.signal }));
      else {
        live.holdSlot(granted);
        await RESOLVED;
      }
    } catch {
      // Canceled (or ended by stop) while queued: the state is already terminal.
      this.#retire(live);
      return;
    }
    try {
      if (live.ended) return;
      live.working();
      let result: unknown;
      try {
        const observer = this.#observer;
        const ctx = new TaskContext(live);
        result = await (observer === undefined ? live.skill.handler(input, ctx) : observer.run(live, () => live.skill.handler(input, ctx)));
      } catch (error) {
        live.fail(error instanceof Error && error.message !== "" ? error.message : String(error));
        return;
      }
      live.complete(result);
    } catch (error) {
      this.#onError(error);
      // Never leave a task (and the clients waiting on it) in a non-final state.
      live.abort("Internal error");
    } finally {
      this.#retire(live);
    }
  }

  /** The handler settled (or never ran): the task leaves the registry. */
  #retire(live: LiveTask): void {
    try {
      if (this.#live.get(live.id) === live) this.#live.delete(live.id);
      this.#observer?.ended(live);
    } finally {
      live.settle();
    }
  }
}
