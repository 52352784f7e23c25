import {
  isInterruptedState,
  isTerminalState,
  type Artifact,
  type Message,
  type Part,
  type StreamResponse,
  type Task,
  type TaskState,
  type TaskStatus,
} from "@a2a/schema";
import { LiveTask, type TaskSaver } from "./live-task.js";
import { newId } from "@a2a/transport/binding";
import type { ArtifactInput } from "./task-context.js";
import { TaskContext } from "./task-context.js";
import type { TaskLimiter } from "./task-limiter.js";
import type { TaskStore } from "./task-store.js";
import { setOwner, withoutOwner } from "./principal.js";
import { resultParts, type RegisteredSkill } from "./skill.js";
import type { TaskObserver } from "./telemetry/agent-telemetry.js";

export { LiveTask } from "./live-task.js";

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

/** True when `part` (the object itself) is one of the parts of a message in `history`. */
function heldIn(history: readonly Message[], part: Part): boolean {
  for (const message of history) if (message.parts.includes(part)) return true;
  return false;
}

let lastMs = Number.NaN;
let lastIso = "";
/** The current time as an ISO 8601 string; formatted once per millisecond (tasks change far more often). */
const now = (): string => {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
};

/** Runs tasks: their state machine, handler execution, events and persistence. */
export class TaskManager {
  readonly #live = new Map<string, LiveTask>();
  readonly #options: TaskManagerOptions;
  readonly #saver: TaskSaver;

  constructor(options: TaskManagerOptions) {
    this.#options = options;
    this.#saver = { save: (task) => options.store.save(task), onError: options.onError };
  }

  get store(): TaskStore {
    return this.#options.store;
  }

  get liveCount(): number {
    return this.#live.size;
  }

  live(taskId: string): LiveTask | undefined {
    return this.#live.get(taskId);
  }

  /** A task by id: the live one if running, else from the store. */
  async get(taskId: string): Promise<Task | undefined> {
    return this.#live.get(taskId)?.task ?? (await this.#options.store.get(taskId));
  }

  /**
   * Creates a task for `message` (which carries no taskId). Nothing runs until
   * {@link start}, so that callers can subscribe to the task first. The caller has
   * checked admission with the limiter.
   */
  create(options: { message: Message; skill: RegisteredSkill; metadata?: Record<string, unknown>; owner?: string; id?: string }): LiveTask {
    // A given id is the requester's (the EMQX profile); the caller checked it is not taken.
    const id = options.id ?? newId();
    if (this.#live.has(id)) throw new Error(`Task ${id} exists already`);
    const contextId = options.message.contextId ?? newId();
    const message: Message = { ...options.message, taskId: id, contextId };
    const task: Task = { id, contextId, status: { state: "TASK_STATE_SUBMITTED", timestamp: now() }, history: [message] };
    if (options.metadata !== undefined) task.metadata = options.metadata;
    setOwner(task, options.owner);
    const live = new LiveTask({
      task,
      contextId,
      skill: options.skill,
      firstMessage: message,
      maxBufferedEvents: this.#options.maxBufferedEvents,
      saver: this.#saver,
    });
    this.#live.set(id, live);
    this.#options.observer?.created(live);
    this.#persist(live);
    return live;
  }

  /** Runs the handler of a task made by {@link create} with the skill input. */
  start(live: LiveTask, input: unknown): void {
    void this.#run(live, input);
  }

  /** Resumes an input-required task with the client's reply. */
  resume(live: LiveTask, message: Message): void {
    const waiter = live.waiter;
    if (waiter === undefined) throw new Error(`Task ${live.task.id} is not waiting for input`);
    live.waiter = undefined;
    clearTimeout(waiter.timer);
    const reply: Message = { ...message, taskId: live.task.id, contextId: live.contextId };
    live.task.history?.push(reply);
    this.#setStatus(live, { state: "TASK_STATE_WORKING", timestamp: now() });
    void this.#reacquire(live).then(() => waiter.resolve(reply), waiter.reject);
  }

  /** Cancels a live task: state CANCELED, handler signal aborted. */
  cancel(live: LiveTask): void {
    this.#setStatus(live, { state: "TASK_STATE_CANCELED", timestamp: now() });
    live.abort.abort(new DOMException("The task was canceled", "AbortError"));
    this.#rejectWaiter(live, live.abort.signal.reason);
  }

  /** Ends a live task as failed (e.g. the agent is stopping) and aborts its handler. */
  fail(live: LiveTask, reason: string): void {
    if (isTerminalState(live.task.status.state)) return;
    this.#setStatus(live, { state: "TASK_STATE_FAILED", message: this.#agentMessage(live, [{ text: reason }]), timestamp: now() });
    live.abort.abort(new DOMException(reason, "AbortError"));
    this.#rejectWaiter(live, live.abort.signal.reason);
  }

  /** Resolves with a snapshot at the next terminal or interrupted state. */
  nextStop(live: LiveTask): Promise<Task> {
    const state = live.task.status.state;
    if (isTerminalState(state)) return Promise.resolve(this.snapshot(live.task));
    // The resolver itself listens; listeners are removed when called.
    return new Promise((resolve) => live.stopListeners.add(resolve));
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

  /** Fails and aborts every live task; resolves when their handlers settled or after `timeoutMs`. */
  async abortAll(reason: string, timeoutMs: number): Promise<void> {
    for (const live of this.#live.values()) this.fail(live, reason);
    await this.drain(timeoutMs);
  }

  /** Persists pending writes of every live task. */
  async flush(): Promise<void> {
    await Promise.all([...this.#live.values()].map((l) => l.saving));
  }

  /**
   * A copy safe to serialise later: arrays copied one level deep (artifacts grow in
   * place when appended to), messages shared (they never change).
   */
  snapshot(task: Task, historyLength?: number): Task {
    // The owner stays with the stored task; clients never see it.
    const out: Task = withoutOwner({ ...task });
    if (task.artifacts !== undefined) out.artifacts = task.artifacts.map((a) => ({ ...a, parts: [...a.parts] }));
    const history = task.history ?? [];
    if (historyLength === 0) delete out.history;
    else out.history = historyLength === undefined ? [...history] : history.slice(-historyLength);
    return out;
  }

  // ---- called through TaskContext ----

  setWorking(live: LiveTask, _state: "working", text?: string): void {
    if (isTerminalState(live.task.status.state)) return;
    const status: TaskStatus = { state: "TASK_STATE_WORKING", timestamp: now() };
    if (text !== undefined) status.message = this.#agentMessage(live, [{ text }]);
    this.#setStatus(live, status);
  }

  /** @throws TypeError when the parts or metadata cannot be sent as JSON (nothing changes then). */
  addArtifact(live: LiveTask, input: ArtifactInput & { artifactId: string; parts: Part[] }): void {
    if (isTerminalState(live.task.status.state)) return;
    // A circular or BigInt value would make the task unserialisable: every reply, stream
    // frame and store write of it would fail from then on. Parts the task already holds
    // in its history (an echo, a forwarded request) are not checked again: were they not
    // serialisable, the task would not be either.
    try {
      const history = live.task.history;
      const unchecked = history === undefined ? input.parts : input.parts.filter((part) => !heldIn(history, part));
      if (unchecked.length > 0 || input.metadata !== undefined) JSON.stringify([unchecked, input.metadata]);
    } catch (error) {
      throw new TypeError(`An artifact must be JSON-serialisable: ${(error as Error).message}`, { cause: error });
    }
    const chunk: Artifact = { artifactId: input.artifactId, parts: input.parts };
    if (input.name !== undefined) chunk.name = input.name;
    if (input.description !== undefined) chunk.description = input.description;
    if (input.metadata !== undefined) chunk.metadata = input.metadata;
    const artifacts = (live.task.artifacts ??= []);
    const existing = artifacts.findIndex((a) => a.artifactId === input.artifactId);
    if (input.append === true && existing >= 0) artifacts[existing]!.parts.push(...input.parts);
    else if (existing >= 0) artifacts[existing] = { ...chunk, parts: [...chunk.parts] };
    else artifacts.push({ ...chunk, parts: [...chunk.parts] });
    if (live.observed || this.#options.onEvent !== undefined) {
      const event: StreamResponse = {
        artifactUpdate: { taskId: live.task.id, contextId: live.contextId, artifact: chunk },
      };
      if (input.append !== undefined) event.artifactUpdate.append = input.append;
      if (input.lastChunk !== undefined) event.artifactUpdate.lastChunk = input.lastChunk;
      live.publish(event);
      this.#options.onEvent?.(live.task.id, event);
    }
    this.#persist(live);
  }

  awaitInput(live: LiveTask, question: string | Part[], timeoutMs?: number): Promise<Message> {
    if (live.waiter !== undefined) return Promise.reject(new Error("requestInput() is already waiting for a reply"));
    if (isTerminalState(live.task.status.state)) return Promise.reject(new Error("The task has already ended"));
    const parts = typeof question === "string" ? [{ text: question }] : question;
    this.#setStatus(live, { state: "TASK_STATE_INPUT_REQUIRED", message: this.#agentMessage(live, parts), timestamp: now() });
    // A task waiting for a person should not hold one of the agent's execution slots.
    live.release?.();
    live.release = undefined;
    const wait = timeoutMs ?? this.#options.inputTimeoutMs;
    return new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => {
        live.waiter = undefined;
        const error = new Error(`No input received within ${wait} ms`);
        void this.#reacquire(live).then(() => reject(error), reject);
      }, wait);
      timer.unref?.();
      live.waiter = { resolve, reject, timer };
    });
  }

  // ---- internals ----

  async #run(live: LiveTask, input: unknown): Promise<void> {
    // A free slot is taken without an abort signal (made only for tasks that queue);
    // the handler still starts a turn later, after whoever called start() looked.
    const granted = live.aborted ? undefined : this.#options.limiter.tryAcquire();
    try {
      if (granted === undefined) live.release = await this.#options.limiter.acquire({ signal: live.abort.signal });
      else {
        live.release = granted;
        await RESOLVED;
      }
    } catch {
      // Canceled (or failed by stop) while queued: the state is already terminal.
      this.#retire(live);
      live.settle();
      return;
    }
    try {
      if (isTerminalState(live.task.status.state)) return;
      this.#setStatus(live, { state: "TASK_STATE_WORKING", timestamp: now() });
      let result: unknown;
      try {
        const observer = this.#options.observer;
        const ctx = new TaskContext(this, live);
        result = await (observer === undefined ? live.skill.handler(input, ctx) : observer.run(live, () => live.skill.handler(input, ctx)));
      } catch (error) {
        if (!isTerminalState(live.task.status.state)) {
          const text = error instanceof Error && error.message !== "" ? error.message : String(error);
          this.#setStatus(live, { state: "TASK_STATE_FAILED", message: this.#agentMessage(live, [{ text }]), timestamp: now() });
        }
        return;
      }
      if (isTerminalState(live.task.status.state)) return;
      try {
        const parts = resultParts(result);
        if (parts.length > 0) this.addArtifact(live, { artifactId: newId(), name: "result", parts });
      } catch (error) {
        const text = `The skill's result cannot be sent: ${(error as Error).message}`;
        this.#setStatus(live, { state: "TASK_STATE_FAILED", message: this.#agentMessage(live, [{ text }]), timestamp: now() });
        return;
      }
      this.#setStatus(live, { state: "TASK_STATE_COMPLETED", timestamp: now() });
    } catch (error) {
      this.#options.onError(error);
      // Never leave a task (and the clients waiting on it) in a non-final state.
      this.fail(live, "Internal error");
    } finally {
      try {
        live.release?.();
        live.release = undefined;
        this.#rejectWaiter(live, new Error("The task ended"));
        this.#retire(live);
      } finally {
        live.settle();
      }
    }
  }

  #retire(live: LiveTask): void {
    if (this.#live.get(live.task.id) === live) this.#live.delete(live.task.id);
    this.#options.observer?.ended(live);
    live.closeBus();
  }

  async #reacquire(live: LiveTask): Promise<void> {
    live.release = await this.#options.limiter.acquire({ force: true, signal: live.abort.signal });
  }

  #rejectWaiter(live: LiveTask, reason: unknown): void {
    const waiter = live.waiter;
    if (waiter === undefined) return;
    live.waiter = undefined;
    clearTimeout(waiter.timer);
    waiter.reject(reason);
  }

  #setStatus(live: LiveTask, status: TaskStatus): void {
    const state: TaskState = status.state;
    if (isTerminalState(live.task.status.state)) return;
    live.task.status = status;
    if (status.message !== undefined) live.task.history?.push(status.message);
    if (live.observed || this.#options.onEvent !== undefined) {
      const event: StreamResponse = { statusUpdate: { taskId: live.task.id, contextId: live.contextId, status } };
      live.publish(event);
      this.#options.onEvent?.(live.task.id, event);
    }
    if (isTerminalState(state) || isInterruptedState(state)) {
      if (live.stopListeners.size > 0) {
        const snap = this.snapshot(live.task);
        const listeners = [...live.stopListeners];
        live.stopListeners.clear();
        for (const listener of listeners) listener(snap);
      }
      if (isTerminalState(state)) live.closeBus();
    }
    this.#persist(live);
  }

  #agentMessage(live: LiveTask, parts: Part[]): Message {
    return { messageId: newId(), role: "ROLE_AGENT", parts, taskId: live.task.id, contextId: live.contextId };
  }

  /** Saved after every change; changes made while a save is under way share the next one. */
  #persist(live: LiveTask): void {
    live.requestSave();
  }
}
