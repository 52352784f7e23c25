import type { Message, Part, Task } from "@a2a/schema";
import { newId } from "@a2a/transport/binding";
import type { LiveTask, TaskManager } from "./task-manager.js";

/** What {@link TaskContext.artifact} publishes: parts, or a text or data shorthand. */
export interface ArtifactInput {
  parts?: Part[];
  /** Shorthand for `parts: [{ text }]`. */
  text?: string;
  /** Shorthand for `parts: [{ data }]`. */
  data?: unknown;
  /** @default a new id, or with `append` the id of the previous artifact */
  artifactId?: string;
  name?: string;
  description?: string;
  metadata?: Record<string, unknown>;
  /** Appends the parts to the artifact with this id instead of replacing it. */
  append?: boolean;
  /** Marks the last chunk of an artifact sent in several parts. */
  lastChunk?: boolean;
}

export interface RequestInputOptions {
  /**
   * Milliseconds to wait for the reply; then the call rejects and, unless the handler
   * catches it, the task fails.
   * @default the agent's `inputTimeoutMs` (10 minutes)
   */
  timeoutMs?: number;
}

/**
 * Handed to a skill handler for one task: publish progress and artifacts, ask the
 * client for more input, and observe cancellation through `signal`.
 */
export class TaskContext {
  readonly #manager: TaskManager;
  readonly #live: LiveTask;
  #lastArtifactId: string | undefined;

  /** @internal Created by the agent for each task. */
  constructor(manager: TaskManager, live: LiveTask) {
    this.#manager = manager;
    this.#live = live;
  }

  get taskId(): string {
    return this.#live.task.id;
  }

  get contextId(): string {
    return this.#live.contextId;
  }

  /** The id of the skill running this task. */
  get skillId(): string {
    return this.#live.skill.id;
  }

  /** The message that started the task. */
  get message(): Message {
    return this.#live.firstMessage;
  }

  /** Aborted when the task is canceled or the agent stops. */
  get signal(): AbortSignal {
    return this.#live.abort.signal;
  }

  /** A copy of the task as it is now. */
  get task(): Task {
    return this.#manager.snapshot(this.#live.task);
  }

  /** Publishes a status update (state `working`), optionally with a text message. */
  async status(state: "working", text?: string): Promise<void> {
    this.#live.throwIfAborted();
    this.#manager.setWorking(this.#live, state, text);
  }

  /** Publishes an artifact (or a chunk of one, with `append` / `lastChunk`). */
  async artifact(input: ArtifactInput): Promise<void> {
    this.#live.throwIfAborted();
    const parts: Part[] = [...(input.parts ?? [])];
    if (input.text !== undefined) parts.push({ text: input.text });
    if (input.data !== undefined) parts.push({ data: input.data });
    if (parts.length === 0) throw new TypeError("ctx.artifact() needs parts, text or data");
    const artifactId =
      input.artifactId ?? (input.append === true && this.#lastArtifactId !== undefined ? this.#lastArtifactId : newId());
    this.#lastArtifactId = artifactId;
    this.#manager.addArtifact(this.#live, { ...input, artifactId, parts });
  }

  /**
   * Moves the task to input-required with `question` and waits for the client's next
   * message on this task (same taskId), which it returns. The pending SendMessage or
   * stream returns to the client meanwhile.
   */
  async requestInput(question: string | Part[], options: RequestInputOptions = {}): Promise<Message> {
    this.#live.throwIfAborted();
    return this.#manager.awaitInput(this.#live, question, options.timeoutMs);
  }
}
