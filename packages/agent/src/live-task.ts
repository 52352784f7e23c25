import { isInterruptedState, isTerminalState, type Artifact, type Message, type Part, type StreamResponse, type Task, type TaskStatus } from "@a2a/schema";
import { newId } from "@a2a/transport/binding";
import type { EventWindow } from "./event-window.js";
import { isoNow } from "./iso-now.js";
import { messageBytes } from "./memory-budget.js";
import { setOwner } from "./principal.js";
import { resultParts, type RegisteredSkill } from "./skill.js";
import type { ArtifactChunk, TaskControl } from "./task-context.js";
import { TaskEventBus } from "./task-event-bus.js";
import type { TaskLimiter } from "./task-limiter.js";
import { TaskSaves, type TaskSaver } from "./task-saves.js";
import { checkSerialisable, TaskSize } from "./task-size.js";
import { snapshotTask } from "./task-snapshot.js";

const RESOLVED: Promise<void> = Promise.resolve();

/** What every live task of one agent shares (one object per agent, not per task). */
export interface TaskEnvironment extends TaskSaver {
  /** Events buffered per subscriber before it is dropped. */
  maxBufferedEvents: number;
  /** Default wait of `ctx.requestInput()`. */
  inputTimeoutMs: number;
  /** The execution slots; a task resuming after input takes one again. */
  limiter: TaskLimiter;
  /** Sees every status and artifact update of every task (push notifications). Must not throw. */
  onEvent?: ((taskId: string, event: StreamResponse) => void) | undefined;
}

interface InputWaiter {
  resolve: (message: Message) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

/**
 * A copy of `message` naming its task and context. Copied member by member: a spread
 * followed by new members (`{ ...m, taskId }`) costs V8 about ten times as much.
 */
function inTask(message: Message, taskId: string, contextId: string): Message {
  const copy: Record<string, unknown> = {};
  for (const key in message) if (Object.hasOwn(message, key)) copy[key] = message[key as keyof Message];
  copy.taskId = taskId;
  copy.contextId = contextId;
  return copy as unknown as Message;
}

/**
 * A task whose handler is queued, running or waiting for input here. It owns its state:
 * every change goes through one of its transitions, and a terminal task takes none (the
 * one guard, {@link #accepts}). Each change is saved, published on the task's event bus
 * and handed to `onEvent`. The event bus, the abort controller and the `done` promise
 * are made on first use: most tasks are never streamed, canceled or drained, and an
 * agent holding thousands of tasks should not pay for them.
 */
export class LiveTask extends TaskSaves<TaskEnvironment> implements TaskControl {
  readonly contextId: string;
  readonly skill: RegisteredSkill;
  /** The message that started the task. */
  readonly firstMessage: Message;
  /** When the task was created (`performance.now()`): its duration needs no record elsewhere. */
  readonly createdMs = performance.now();
  /** Numbers and keeps the recent events once the task is streamed (for resuming streams). */
  window: EventWindow | undefined = undefined;
  /** Releases the execution slot while the handler holds one. */
  #release: (() => void) | undefined = undefined;
  #waiter: InputWaiter | undefined = undefined;
  /** Called once at the next stop (terminal or interrupted state); each takes its snapshot then. */
  #stopListeners: Array<() => void> | undefined;
  #bus: TaskEventBus | undefined;
  #busClosed = false;
  #abort: AbortController | undefined;
  #settled = false;
  #done: Promise<void> | undefined;
  #resolveDone: (() => void) | undefined;
  readonly #size: TaskSize;

  /**
   * @internal A new task (state `submitted`, saved at once) for a message that names
   * no task; its contextId is the message's, or a new one.
   */
  static forMessage(
    // `bytes`: the message's estimated size when known already (from its request's length).
    options: { message: Message; skill: RegisteredSkill; metadata?: Record<string, unknown> | undefined; owner?: string | undefined; id?: string | undefined; bytes?: number | undefined },
    env: TaskEnvironment,
  ): LiveTask {
    // A given id is the requester's (the EMQX profile); the caller checked it is new.
    const id = options.id ?? newId();
    const contextId = options.message.contextId ?? newId();
    const message = inTask(options.message, id, contextId);
    const task: Task = { id, contextId, status: { state: "TASK_STATE_SUBMITTED", timestamp: isoNow() }, history: [message] };
    if (options.metadata !== undefined) task.metadata = options.metadata;
    setOwner(task, options.owner);
    // The copy holds the same parts as the message, which is measured (once) if need be.
    const firstBytes = options.bytes ?? messageBytes(options.message);
    return new LiveTask({ task, skill: options.skill, firstMessage: message, firstBytes, env });
  }

  private constructor(options: { task: Task; skill: RegisteredSkill; firstMessage: Message; firstBytes: number; env: TaskEnvironment }) {
    super(options.task, options.env);
    this.contextId = options.firstMessage.contextId as string;
    this.skill = options.skill;
    this.firstMessage = options.firstMessage;
    this.#size = new TaskSize(options.task, options.firstMessage, options.firstBytes);
    this.requestSave();
  }

  protected override get bytes(): number {
    return this.#size.bytes;
  }

  get id(): string {
    return this.task.id;
  }

  /** True once the task is in a terminal state: it takes no more changes. */
  get ended(): boolean {
    return isTerminalState(this.task.status.state);
  }

  /** True while the handler waits in `ctx.requestInput()` for the client's reply. */
  get awaitingInput(): boolean {
    return this.#waiter !== undefined;
  }

  /** A copy safe to serialise later (see {@link snapshotTask}). */
  snapshot(historyLength?: number): Task {
    return snapshotTask(this.task, historyLength);
  }

  // ---- transitions ----

  /** State `working`, with a status message when `text` is given. */
  working(text?: string): void {
    const status: TaskStatus = { state: "TASK_STATE_WORKING", timestamp: isoNow() };
    if (text !== undefined) status.message = this.#agentMessage([{ text }]);
    this.#setStatus(status);
  }

  /**
   * Adds an artifact, or a chunk of one (`append`).
   * @throws TypeError when the parts or metadata cannot be sent as JSON (nothing changes then).
   */
  addArtifact(input: ArtifactChunk): void {
    if (!this.#accepts()) return;
    checkSerialisable(this.task.history, input);
    const chunk: Artifact = { artifactId: input.artifactId, parts: input.parts };
    if (input.name !== undefined) chunk.name = input.name;
    if (input.description !== undefined) chunk.description = input.description;
    if (input.metadata !== undefined) chunk.metadata = input.metadata;
    const artifacts = (this.task.artifacts ??= []);
    const existing = artifacts.findIndex((a) => a.artifactId === input.artifactId);
    const emitted = this.observed || this.env.onEvent !== undefined;
    // The chunk itself is kept (its parts are the task's) unless its event shares it: appends grow the entry, never an event.
    const entry = emitted ? { ...chunk, parts: [...chunk.parts] } : chunk;
    if (input.append === true && existing >= 0) {
      artifacts[existing]!.parts.push(...input.parts);
      this.#size.appended(existing, input.artifactId, input.parts);
    } else if (existing >= 0) {
      artifacts[existing] = entry;
      this.#size.replaced(existing, input.artifactId, input.parts);
    } else {
      artifacts.push(entry);
      this.#size.added(input.artifactId, input.parts);
    }
    if (emitted) {
      const event: StreamResponse = { artifactUpdate: { taskId: this.task.id, contextId: this.contextId, artifact: chunk } };
      if (input.append !== undefined) event.artifactUpdate.append = input.append;
      if (input.lastChunk !== undefined) event.artifactUpdate.lastChunk = input.lastChunk;
      this.#emit(event);
    }
    this.requestSave();
  }

  /**
   * State `input-required` with `question`; resolves with the client's reply (see
   * {@link resume}). The execution slot is given back meanwhile and taken again before
   * the handler goes on; without a reply within `timeoutMs` the wait rejects.
   */
  requireInput(question: Part[], timeoutMs = this.env.inputTimeoutMs): Promise<Message> {
    if (this.#waiter !== undefined) return Promise.reject(new Error("requestInput() is already waiting for a reply"));
    if (!this.#accepts()) return Promise.reject(new Error("The task has already ended"));
    this.#setStatus({ state: "TASK_STATE_INPUT_REQUIRED", message: this.#agentMessage(question), timestamp: isoNow() });
    // A task waiting for a person should not hold one of the agent's execution slots.
    this.releaseSlot();
    return new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        const error = new Error(`No input received within ${timeoutMs} ms`);
        void this.#reacquire().then(() => reject(error), reject);
      }, timeoutMs);
      timer.unref?.();
      this.#waiter = { resolve, reject, timer };
    });
  }

  /** Continues an input-required task with the client's reply: state `working`, then the handler gets it. */
  resume(message: Message): void {
    const waiter = this.#waiter;
    if (waiter === undefined) throw new Error(`Task ${this.task.id} is not waiting for input`);
    this.#waiter = undefined;
    clearTimeout(waiter.timer);
    const reply = inTask(message, this.task.id, this.contextId);
    this.task.history?.push(reply);
    this.#size.message(message);
    this.#setStatus({ state: "TASK_STATE_WORKING", timestamp: isoNow() });
    void this.#reacquire().then(() => waiter.resolve(reply), waiter.reject);
  }

  /**
   * The handler returned `result`: state `completed`, with the result as an artifact. A
   * result that cannot be sent as JSON fails the task instead.
   */
  complete(result: unknown): void {
    if (!this.#accepts()) return;
    try {
      const parts = resultParts(result);
      if (parts.length > 0) this.addArtifact({ artifactId: newId(), name: "result", parts });
    } catch (error) {
      this.fail(`The skill's result cannot be sent: ${(error as Error).message}`);
      return;
    }
    this.#setStatus({ state: "TASK_STATE_COMPLETED", timestamp: isoNow() });
  }

  /** State `failed` with `reason` as its status message (the handler threw, or its result was unusable). */
  fail(reason: string): void {
    this.#setStatus({ state: "TASK_STATE_FAILED", message: this.#agentMessage([{ text: reason }]), timestamp: isoNow() });
  }

  /** Canceled by a client: state `canceled`, and the handler's signal aborts. */
  cancel(): void {
    if (!this.#setStatus({ state: "TASK_STATE_CANCELED", timestamp: isoNow() })) return;
    this.#interrupt(new DOMException("The task was canceled", "AbortError"));
  }

  /** Ended from outside its handler (e.g. the agent is stopping): state `failed`, and the handler's signal aborts. */
  abort(reason: string): void {
    if (!this.#accepts()) return;
    this.fail(reason);
    this.#interrupt(new DOMException(reason, "AbortError"));
  }

  /** Resolves with a snapshot at the next terminal or interrupted state. */
  nextStop(): Promise<Task> {
    return new Promise((resolve) => this.onNextStop(resolve));
  }

  /**
   * Calls `listener` once with a snapshot (of the last `historyLength` messages, see
   * {@link snapshot}) at the next terminal or interrupted state; at once when ended.
   */
  onNextStop(listener: (task: Task) => void, historyLength?: number): void {
    if (this.ended) listener(this.snapshot(historyLength));
    else (this.#stopListeners ??= []).push(() => listener(this.snapshot(historyLength)));
  }

  // ---- events ----

  /** True once anyone subscribed to the events (only then are they worth making). */
  get observed(): boolean {
    return this.#bus !== undefined;
  }

  /** The task's events; subscribing to it sees every event published afterwards. */
  get bus(): TaskEventBus {
    if (this.#bus === undefined) {
      this.#bus = new TaskEventBus({ maxBuffered: this.env.maxBufferedEvents });
      if (this.#busClosed) this.#bus.close();
    }
    return this.#bus;
  }

  // ---- the handler's run ----

  /** Aborted when the task is canceled or ended from outside its handler. */
  get signal(): AbortSignal {
    return (this.#abort ??= new AbortController()).signal;
  }

  get aborted(): boolean {
    return this.#abort?.signal.aborted === true;
  }

  /** Throws the abort reason once aborted (as `signal.throwIfAborted()`). */
  throwIfAborted(): void {
    this.#abort?.signal.throwIfAborted();
  }

  /** @internal The handler holds an execution slot (given back by {@link releaseSlot}). */
  holdSlot(release: () => void): void {
    this.#release = release;
  }

  /** @internal */
  releaseSlot(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  /** Settles when the handler has returned or thrown (or the task ended while queued). */
  get done(): Promise<void> {
    if (this.#done === undefined) {
      this.#done = this.#settled ? RESOLVED : new Promise<void>((resolve) => (this.#resolveDone = resolve));
    }
    return this.#done;
  }

  /** @internal The handler has returned or thrown: the slot goes back, a pending input wait and every stream end. */
  settle(): void {
    try {
      this.releaseSlot();
      if (this.#waiter !== undefined) this.#rejectWaiter(new Error("The task ended")); // a stack trace only when needed
      this.#closeBus();
    } finally {
      this.#settled = true;
      this.#resolveDone?.();
    }
  }

  // ---- internals ----

  /** The one guard: a terminal task takes no more changes. */
  #accepts(): boolean {
    return !this.ended;
  }

  /** Every status change: false (and nothing changes) once the task is terminal. */
  #setStatus(status: TaskStatus): boolean {
    if (!this.#accepts()) return false;
    const state = status.state;
    this.task.status = status;
    if (status.message !== undefined) {
      this.task.history?.push(status.message);
      this.#size.message(status.message);
    }
    if (this.observed || this.env.onEvent !== undefined) {
      this.#emit({ statusUpdate: { taskId: this.task.id, contextId: this.contextId, status } });
    }
    // Saved before the stop listeners hear of it: an answer waiting for the save sees this one pending.
    this.requestSave();
    const terminal = isTerminalState(state);
    if (terminal || isInterruptedState(state)) {
      const listeners = this.#stopListeners;
      if (listeners !== undefined) {
        this.#stopListeners = undefined;
        for (const listener of listeners) listener();
      }
      if (terminal) this.#closeBus();
    }
    return true;
  }

  #emit(event: StreamResponse): void {
    const bus = this.#bus;
    if (bus !== undefined) {
      this.window?.append(event);
      bus.publish(event);
    }
    this.env.onEvent?.(this.task.id, event);
  }

  /** Aborts the handler's signal and rejects a pending input wait with the reason. */
  #interrupt(reason: DOMException): void {
    const abort = (this.#abort ??= new AbortController());
    abort.abort(reason);
    this.#rejectWaiter(abort.signal.reason);
  }

  #rejectWaiter(reason: unknown): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    this.#waiter = undefined;
    clearTimeout(waiter.timer);
    waiter.reject(reason);
  }

  /** Ends every subscription; later subscribers get nothing. */
  #closeBus(): void {
    this.#busClosed = true;
    this.#bus?.close();
  }

  async #reacquire(): Promise<void> {
    this.#release = await this.env.limiter.acquire({ force: true, signal: this.signal });
  }

  #agentMessage(parts: Part[]): Message {
    return { messageId: newId(), role: "ROLE_AGENT", parts, taskId: this.task.id, contextId: this.contextId };
  }
}
