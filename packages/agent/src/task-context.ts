import type { Message, Part, Task } from "@a2a/schema";
import { newId } from "@a2a/transport/binding";

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

/** An artifact chunk as a task takes it: the input with its id and parts resolved. */
export type ArtifactChunk = ArtifactInput & { artifactId: string; parts: Part[] };

/**
 * What a {@link TaskContext} asks of the task it wraps (the live task implements it;
 * declared here so that the context, and the skills typed with it, need nothing more).
 */
export interface TaskControl {
  readonly id: string;
  readonly contextId: string;
  readonly skill: { readonly id: string };
  readonly firstMessage: Message;
  readonly signal: AbortSignal;
  snapshot(): Task;
  throwIfAborted(): void;
  working(text?: string): void;
  /** The task keeps `chunk.parts` (a new array, not the caller's). */
  addArtifact(chunk: ArtifactChunk): void;
  requireInput(question: Part[], timeoutMs?: number): Promise<Message>;
}

/**
 * Handed to a skill handler for one task: publish progress and artifacts, ask the
 * client for more input, and observe cancellation through `signal`. Each call is one
 * transition of the task it wraps.
 */
export class TaskContext {
  readonly #task: TaskControl;
  #lastArtifactId: string | undefined;

  /** @internal Created by the agent for each task. */
  constructor(task: TaskControl) {
    this.#task = task;
  }

  get taskId(): string {
    return this.#task.id;
  }

  get contextId(): string {
    return this.#task.contextId;
  }

  /** The id of the skill running this task. */
  get skillId(): string {
    return this.#task.skill.id;
  }

  /** The message that started the task. */
  get message(): Message {
    return this.#task.firstMessage;
  }

  /** Aborted when the task is canceled or the agent stops. */
  get signal(): AbortSignal {
    return this.#task.signal;
  }

  /** A copy of the task as it is now. */
  get task(): Task {
    return this.#task.snapshot();
  }

  /** Publishes a status update (state `working`), optionally with a text message. */
  async status(_state: "working", text?: string): Promise<void> {
    this.#task.throwIfAborted();
    this.#task.working(text);
  }

  /** Publishes an artifact (or a chunk of one, with `append` / `lastChunk`). */
  async artifact(input: ArtifactInput): Promise<void> {
    this.#task.throwIfAborted();
    const parts: Part[] = input.parts === undefined ? [] : input.parts.slice();
    if (input.text !== undefined) parts.push({ text: input.text });
    if (input.data !== undefined) parts.push({ data: input.data });
    if (parts.length === 0) throw new TypeError("ctx.artifact() needs parts, text or data");
    const artifactId =
      input.artifactId ?? (input.append === true && this.#lastArtifactId !== undefined ? this.#lastArtifactId : newId());
    this.#lastArtifactId = artifactId;
    // Written out rather than spread: only the members a chunk has, and every artifact passes here.
    const chunk: ArtifactChunk = { artifactId, parts };
    if (input.name !== undefined) chunk.name = input.name;
    if (input.description !== undefined) chunk.description = input.description;
    if (input.metadata !== undefined) chunk.metadata = input.metadata;
    if (input.append !== undefined) chunk.append = input.append;
    if (input.lastChunk !== undefined) chunk.lastChunk = input.lastChunk;
    this.#task.addArtifact(chunk);
  }

  /**
   * Moves the task to input-required with `question` and waits for the client's next
   * message on this task (same taskId), which it returns. The pending SendMessage or
   * stream returns to the client meanwhile.
   */
  async requestInput(question: string | Part[], options: RequestInputOptions = {}): Promise<Message> {
    this.#task.throwIfAborted();
    return this.#task.requireInput(typeof question === "string" ? [{ text: question }] : question, options.timeoutMs);
  }
}
