import type { Message, Part, Task } from "@a2a/schema";
import { artifactBytes, messageBytes, taskBaseBytes } from "./memory-budget.js";

/**
 * The estimated size of a live task (as `taskBytes` counts it), kept up with each of its
 * changes, so that saving a task does not measure it again.
 */
export class TaskSize {
  /** The estimate now. */
  bytes: number;
  readonly #first: Message;
  readonly #firstBytes: number;
  /** Each artifact's estimate, in the order of the task's `artifacts`. */
  readonly #artifacts: number[] = [];

  /** A task whose history holds its first message, estimated at `firstBytes`. */
  constructor(task: Task, first: Message, firstBytes: number) {
    this.#first = first;
    this.#firstBytes = firstBytes;
    this.bytes = taskBaseBytes(task) + firstBytes;
  }

  /** A message joined the history. */
  message(message: Message): void {
    this.bytes += messageBytes(message);
  }

  /** A new artifact at the end. */
  added(artifactId: string, parts: readonly Part[]): void {
    const bytes = this.#partsBytes(artifactId, parts);
    this.#artifacts.push(bytes);
    this.bytes += bytes;
  }

  /** The artifact at `index` was replaced. */
  replaced(index: number, artifactId: string, parts: readonly Part[]): void {
    this.#resize(index, this.#partsBytes(artifactId, parts));
  }

  /** Parts were appended to the artifact at `index`. */
  appended(index: number, artifactId: string, parts: readonly Part[]): void {
    // Its id and entry are counted already.
    this.#resize(index, this.#artifacts[index]! + this.#partsBytes(artifactId, parts) - artifactBytes(artifactId, []));
  }

  /**
   * The size of an artifact entry with these parts. Parts that are all the first
   * message's (an echo) count as that message did, without measuring them one by one.
   */
  #partsBytes(artifactId: string, parts: readonly Part[]): number {
    const first = this.#first.parts;
    if (parts.length > 0 && parts.every((part) => first.includes(part))) return artifactBytes(artifactId, []) + this.#firstBytes;
    return artifactBytes(artifactId, parts);
  }

  #resize(index: number, bytes: number): void {
    this.bytes += bytes - this.#artifacts[index]!;
    this.#artifacts[index] = bytes;
  }
}

/**
 * Throws a TypeError when the chunk's parts or metadata cannot be sent as JSON. A
 * circular or BigInt value would make the task unserialisable: every reply, stream
 * frame and store write of it would fail from then on. Parts the task already holds in
 * its history (an echo, a forwarded request) are not checked again: were they not
 * serialisable, the task would not be either.
 */
export function checkSerialisable(history: readonly Message[] | undefined, chunk: { parts: readonly Part[]; metadata?: unknown }): void {
  try {
    let unchecked: Part[] | undefined;
    for (const part of chunk.parts) if (history === undefined || !heldIn(history, part)) (unchecked ??= []).push(part);
    if (unchecked !== undefined || chunk.metadata !== undefined) JSON.stringify([unchecked, chunk.metadata]);
  } catch (error) {
    throw new TypeError(`An artifact must be JSON-serialisable: ${(error as Error).message}`, { cause: error });
  }
}

/** True when `part` (the object itself) is one of the parts of a message in `history`. */
function heldIn(history: readonly Message[], part: Part): boolean {
  for (const message of history) if (message.parts.includes(part)) return true;
  return false;
}
