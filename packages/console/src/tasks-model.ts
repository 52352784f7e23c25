import type { Artifact, Message, Part, StreamResponse, Task, TaskState } from "@a2a/client";

/** One line of a task's timeline. */
export interface TimelineEvent {
  /** Position in the task's whole history (1-based), also after older lines were dropped. */
  n: number;
  at: number;
  kind: "sent" | "task" | "status" | "artifact" | "message" | "error";
  state?: TaskState;
  /** Who said it: the console's user or the agent. */
  from?: "user" | "agent";
  parts: Part[];
  /** Short text for events without parts (e.g. "artifact report, chunk appended"). */
  note?: string;
}

export interface StateChange {
  state: TaskState;
  at: number;
}

/** A task the console started (or a send still waiting for its task). */
export interface TaskEntry {
  /** Local key; stable before the agent assigned the task id. */
  key: string;
  agentId: string;
  skill: string | undefined;
  taskId?: string;
  contextId?: string;
  state: TaskState | "sending";
  startedAt: number;
  updatedAt: number;
  transitions: StateChange[];
  /** The newest events; older ones are counted in `dropped`. */
  events: TimelineEvent[];
  dropped: number;
  artifacts: Map<string, Artifact>;
  /** A stream is open for this task. */
  following: boolean;
  error?: string;
}

/** Events kept per task: the whole history of a long task stays in bounded memory. */
export const MAX_EVENTS_PER_TASK = 20_000;
/** Ended tasks listed; the oldest are forgotten beyond it. */
export const MAX_ENDED_TASKS = 100;
/** Artifacts kept per task, and parts per artifact. */
const MAX_ARTIFACTS = 200;
const MAX_ARTIFACT_PARTS = 1_000;

const TERMINAL = new Set<string>(["TASK_STATE_COMPLETED", "TASK_STATE_FAILED", "TASK_STATE_CANCELED", "TASK_STATE_REJECTED"]);

export function isEnded(entry: TaskEntry): boolean {
  return TERMINAL.has(entry.state);
}

export function isWaiting(entry: TaskEntry): boolean {
  return entry.state === "TASK_STATE_INPUT_REQUIRED" || entry.state === "TASK_STATE_AUTH_REQUIRED";
}

/** The tasks of this console, each with its timeline. */
export class TasksModel {
  readonly #tasks = new Map<string, TaskEntry>();
  #next = 1;

  create({ agentId, skill, message }: { agentId: string; skill: string | undefined; message: Message }, now = Date.now()): TaskEntry {
    const entry: TaskEntry = {
      key: `t${this.#next++}`,
      agentId,
      skill,
      state: "sending",
      startedAt: now,
      updatedAt: now,
      transitions: [],
      events: [],
      dropped: 0,
      artifacts: new Map(),
      following: false,
    };
    this.#tasks.set(entry.key, entry);
    this.addEvent(entry, { at: now, kind: "sent", from: "user", parts: message.parts });
    this.#forgetOldEnded();
    return entry;
  }

  get(key: string): TaskEntry | undefined {
    return this.#tasks.get(key);
  }

  /** Newest first. */
  list(): TaskEntry[] {
    return [...this.#tasks.values()].reverse();
  }

  addEvent(entry: TaskEntry, event: Omit<TimelineEvent, "n">): void {
    const n = entry.dropped + entry.events.length + 1;
    entry.events.push({ ...event, n });
    if (entry.events.length > MAX_EVENTS_PER_TASK) {
      // Dropped in blocks, so a long stream does not shift the array on every event.
      const drop = Math.ceil(MAX_EVENTS_PER_TASK / 10);
      entry.events.splice(0, drop);
      entry.dropped += drop;
    }
    entry.updatedAt = event.at;
  }

  /** Applies one event of a stream (or a Task from GetTask/CancelTask) to its entry. */
  apply(entry: TaskEntry, event: StreamResponse, now = Date.now()): void {
    if ("task" in event) {
      const task = event.task;
      this.#identify(entry, task.id, task.contextId);
      for (const artifact of task.artifacts ?? []) this.#putArtifact(entry, artifact, false);
      this.#setState(entry, task.status.state, now);
      this.addEvent(entry, { at: now, kind: "task", state: task.status.state, from: "agent", parts: task.status.message?.parts ?? [] });
    } else if ("statusUpdate" in event) {
      const { status, taskId, contextId } = event.statusUpdate;
      this.#identify(entry, taskId, contextId);
      this.#setState(entry, status.state, now);
      this.addEvent(entry, { at: now, kind: "status", state: status.state, from: "agent", parts: status.message?.parts ?? [] });
    } else if ("artifactUpdate" in event) {
      const { artifact, append, lastChunk } = event.artifactUpdate;
      this.#putArtifact(entry, artifact, append === true);
      const name = artifact.name ?? artifact.artifactId;
      const note = `artifact ${name}${append ? ", appended" : ""}${lastChunk === false ? " (more to come)" : ""}`;
      this.addEvent(entry, { at: now, kind: "artifact", from: "agent", parts: artifact.parts, note });
    } else {
      const message = event.message;
      if (message.taskId !== undefined) this.#identify(entry, message.taskId, message.contextId);
      else if (entry.state === "sending") this.#setState(entry, "TASK_STATE_COMPLETED", now);
      this.addEvent(entry, { at: now, kind: "message", from: "agent", parts: message.parts });
    }
  }

  /** A Task snapshot (e.g. the answer of CancelTask), applied like a stream's first event. */
  applyTask(entry: TaskEntry, task: Task, now = Date.now()): void {
    if (entry.state === task.status.state) return;
    this.apply(entry, { task }, now);
  }

  fail(entry: TaskEntry, message: string, now = Date.now()): void {
    entry.error = message;
    this.addEvent(entry, { at: now, kind: "error", parts: [], note: message });
  }

  #identify(entry: TaskEntry, taskId: string, contextId: string | undefined): void {
    entry.taskId ??= taskId;
    if (contextId !== undefined) entry.contextId ??= contextId;
  }

  #setState(entry: TaskEntry, state: TaskState, now: number): void {
    if (entry.state === state) return;
    entry.state = state;
    entry.transitions.push({ state, at: now });
    if (entry.transitions.length > 1_000) entry.transitions.splice(0, 100);
  }

  #putArtifact(entry: TaskEntry, artifact: Artifact, append: boolean): void {
    const known = entry.artifacts.get(artifact.artifactId);
    if (known === undefined && entry.artifacts.size >= MAX_ARTIFACTS) return;
    const parts = append && known ? [...known.parts, ...artifact.parts].slice(-MAX_ARTIFACT_PARTS) : artifact.parts;
    entry.artifacts.set(artifact.artifactId, { ...artifact, parts });
  }

  #forgetOldEnded(): void {
    const ended = [...this.#tasks.values()].filter(isEnded);
    for (const entry of ended.slice(0, Math.max(0, ended.length - MAX_ENDED_TASKS))) this.#tasks.delete(entry.key);
  }
}
