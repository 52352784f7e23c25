import type { AgentCard, Message, Task } from "@a2a/schema";
import type { ResumeWindows } from "./event-window.js";
import type { LiveTask } from "./live-task.js";
import type { MemoryBudget } from "./memory-budget.js";
import type { Principal, TaskAccess } from "./principal.js";
import type { PushNotifier } from "./push/push-notifier.js";
import type { RegisteredSkill } from "./skill.js";
import type { TaskLimiter } from "./task-limiter.js";
import type { TaskManager } from "./task-manager.js";
import type { TaskFilter } from "./task-store.js";

/**
 * What operation handlers may use of the agent (`ctx.services`). Every task lookup
 * goes through the request's principal: another principal's task is not there.
 */
export interface AgentServices {
  readonly skills: ReadonlyMap<string, RegisteredSkill>;
  /** The card as currently published (without presence). */
  card(): AgentCard;
  /** The extended agent card, when one is configured. */
  readonly extendedCard: (() => Promise<AgentCard>) | undefined;
  /** Push notification configs and delivery; undefined when the agent serves none. */
  readonly push: PushNotifier | undefined;
  /** The event windows of streamed tasks, for resuming streams; undefined when streams are not numbered. */
  readonly windows: ResumeWindows | undefined;
  /** True once `stop()` began: new tasks are refused. */
  readonly stopping: boolean;
  /** The history a SendMessage reply carries when the request sets no `historyLength` (`replyHistoryLength`). */
  readonly replyHistoryLength: number;
  /** The task running here, when the principal may see it. */
  liveTask(taskId: string, principal: Principal | undefined): LiveTask | undefined;
  /** The task, running or stored, when the principal may see it. */
  findTask(taskId: string, principal: Principal | undefined): Promise<Task | undefined>;
  /** The stored tasks the principal may see that match the filter (in no particular order). */
  listTasks(filter: TaskFilter, principal: Principal | undefined): Promise<Task[]>;
  /** True unless a task of another principal is in the context (a new task may not join it then). */
  contextOpenTo(contextId: string, principal: Principal | undefined): Promise<boolean>;
  /** Saves a stored task that does not run here (e.g. one canceled after a restart). */
  saveTask(task: Task): Promise<void>;
  /** Throws "at capacity" (-32603) unless a new task holding `bytes` can run or queue. */
  admitTask(bytes: number): void;
  /** Throws "at capacity" (-32603) unless `bytes` more fit in the memory budget. */
  admitBytes(bytes: number): void;
  /**
   * A new task for the message, owned by the principal (when tasks are scoped); started by {@link startTask}.
   * `id` is a requester-chosen id (the EMQX profile), checked with {@link idTaken} first.
   */
  createTask(options: {
    message: Message;
    skill: RegisteredSkill;
    metadata?: Record<string, unknown> | undefined;
    principal?: Principal | undefined;
    id?: string | undefined;
    /** The message's estimated size when known already (from its request's length). */
    bytes?: number | undefined;
  }): LiveTask;
  /** True when a task with this id exists, whoever's it is: a requester-chosen id must be new. */
  idTaken(taskId: string): Promise<boolean>;
  /**
   * Waits until a task slot is free (as the task limiter grants them, in turn), or rejects
   * when `signal` aborts: a request that expires waits no longer than that.
   */
  awaitFreeSlot(signal: AbortSignal): Promise<void>;
  /** Runs the task's handler with the skill input, under the concurrency limit. */
  startTask(task: LiveTask, input: unknown): void;
}

export interface ScopedAgentServicesOptions {
  manager: TaskManager;
  limiter: TaskLimiter;
  access: TaskAccess;
  budget: MemoryBudget | undefined;
  skills: ReadonlyMap<string, RegisteredSkill>;
  card: () => AgentCard;
  extendedCard: (() => Promise<AgentCard>) | undefined;
  push: PushNotifier | undefined;
  windows: ResumeWindows | undefined;
  isStopping: () => boolean;
  /** @default 0 */
  replyHistoryLength?: number | undefined;
}

/** The agent's {@link AgentServices}: the task manager, scoped by {@link TaskAccess}, and the rest of the agent. */
export class ScopedAgentServices implements AgentServices {
  readonly skills: ReadonlyMap<string, RegisteredSkill>;
  readonly card: () => AgentCard;
  readonly extendedCard: (() => Promise<AgentCard>) | undefined;
  readonly push: PushNotifier | undefined;
  readonly windows: ResumeWindows | undefined;
  readonly replyHistoryLength: number;
  readonly #o: ScopedAgentServicesOptions;

  constructor(options: ScopedAgentServicesOptions) {
    this.#o = options;
    this.skills = options.skills;
    this.card = options.card;
    this.extendedCard = options.extendedCard;
    this.push = options.push;
    this.windows = options.windows;
    this.replyHistoryLength = options.replyHistoryLength ?? 0;
  }

  get stopping(): boolean {
    return this.#o.isStopping();
  }

  liveTask(taskId: string, principal: Principal | undefined): LiveTask | undefined {
    const live = this.#o.manager.live(taskId);
    return live !== undefined && this.#o.access.canSee(live.task, principal) ? live : undefined;
  }

  findTask(taskId: string, principal: Principal | undefined): Promise<Task | undefined> {
    const live = this.#o.manager.live(taskId);
    if (live !== undefined) return Promise.resolve(this.#visible(live.task, principal));
    // A callback rather than an async function: one promise less on every GetTask.
    return this.#o.manager.store.get(taskId).then((task) => this.#visible(task, principal));
  }

  #visible(task: Task | undefined, principal: Principal | undefined): Task | undefined {
    return task !== undefined && this.#o.access.canSee(task, principal) ? task : undefined;
  }

  async listTasks(filter: TaskFilter, principal: Principal | undefined): Promise<Task[]> {
    return (await this.#o.manager.store.list(filter)).filter(this.#o.access.visibleTo(principal));
  }

  async contextOpenTo(contextId: string, principal: Principal | undefined): Promise<boolean> {
    if (!this.#o.access.scoped) return true;
    const visible = this.#o.access.visibleTo(principal);
    return (await this.#o.manager.store.list({ contextId })).every(visible);
  }

  saveTask(task: Task): Promise<void> {
    return this.#o.manager.store.save(task);
  }

  admitTask(bytes: number): void {
    this.#o.limiter.checkAdmission();
    this.#o.budget?.admit(bytes);
  }

  admitBytes(bytes: number): void {
    this.#o.budget?.admit(bytes);
  }

  createTask(options: Parameters<AgentServices["createTask"]>[0]): LiveTask {
    const { message, skill, metadata, principal, id, bytes } = options;
    return this.#o.manager.create({ message, skill, metadata, owner: this.#o.access.ownerFor(principal), id, bytes });
  }

  async idTaken(taskId: string): Promise<boolean> {
    return this.#o.manager.live(taskId) !== undefined || (await this.#o.manager.store.get(taskId)) !== undefined;
  }

  async awaitFreeSlot(signal: AbortSignal): Promise<void> {
    // The slot is given back at once: the task takes one of its own when it starts.
    const free = this.#o.limiter.tryAcquire() ?? (await this.#o.limiter.acquire({ signal }));
    free();
  }

  startTask(task: LiveTask, input: unknown): void {
    this.#o.manager.start(task, input);
  }
}
