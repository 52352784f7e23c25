import type { Message, Part, Task } from "@a2a/schema";
import { AgentUnavailableError } from "./agent-unavailable.js";

/** Gives memory back, oldest first: frees at least `bytes` if it can; returns what it freed. */
export type Reclaimer = (bytes: number) => number;

/** The default budget: what suits a small container. */
export const DEFAULT_MEMORY_BUDGET_BYTES = 64 * 1024 * 1024;

const MiB = 1024 * 1024;

/**
 * One bound in bytes on what an agent holds for its clients: tasks in the store,
 * remembered replies, queued push notifications and stream buffers. Holders charge
 * what they keep and release what they drop; what can be given back (terminal tasks,
 * remembered replies) registers a {@link Reclaimer}, asked in registration order when
 * new work needs room. When nothing more can be given back, new work is refused
 * ({@link admit}) rather than growing memory. Sizes are estimates (JSON length plus a
 * per-object overhead), close enough to bound the heap.
 */
export class MemoryBudget {
  readonly maxBytes: number;
  #used = 0;
  readonly #reclaimers: Reclaimer[] = [];
  #reclaiming = false;

  constructor(options: { maxBytes?: number } = {}) {
    this.maxBytes = Math.max(1, options.maxBytes ?? DEFAULT_MEMORY_BUDGET_BYTES);
  }

  /** Bytes charged now. */
  get used(): number {
    return this.#used;
  }

  /** Adds what a holder keeps; over the bound, what can be given back is given back. */
  charge(bytes: number): void {
    this.#used += bytes;
    if (this.#used > this.maxBytes && !this.#reclaiming) this.makeRoom(0);
  }

  release(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
  }

  addReclaimer(reclaimer: Reclaimer): void {
    this.#reclaimers.push(reclaimer);
  }

  /** Makes room for `bytes` more, reclaiming what it must; false when it cannot. */
  makeRoom(bytes: number): boolean {
    if (this.#reclaiming) return this.#used + bytes <= this.maxBytes;
    this.#reclaiming = true;
    try {
      for (const reclaim of this.#reclaimers) {
        const excess = this.#used + bytes - this.maxBytes;
        if (excess <= 0) return true;
        reclaim(excess);
      }
    } finally {
      this.#reclaiming = false;
    }
    return this.#used + bytes <= this.maxBytes;
  }

  /** Like {@link makeRoom}, but throws the -32603 "at capacity" error to answer with. */
  admit(bytes: number): void {
    if (this.makeRoom(bytes)) return;
    throw new AgentUnavailableError(
      `Agent is at capacity (memory budget of ${(this.maxBytes / MiB).toFixed(0)} MiB in use by running tasks, queued notifications and streams); retry later`,
    );
  }
}

/** Objects of a task whose size is measured once: messages and parts never change. */
const measured = new WeakMap<object, number>();
const OBJECT_OVERHEAD = 64;

/** Estimated bytes of a part (its JSON plus overhead), measured once per part object. */
export function partBytes(part: Part): number {
  let bytes = measured.get(part);
  if (bytes === undefined) {
    bytes = OBJECT_OVERHEAD + jsonLength(part);
    measured.set(part, bytes);
  }
  return bytes;
}

/** Estimated bytes of a message, measured once per message object. */
export function messageBytes(message: Message): number {
  let bytes = measured.get(message);
  if (bytes === undefined) {
    bytes = 4 * OBJECT_OVERHEAD + message.messageId.length + (message.metadata === undefined ? 0 : jsonLength(message.metadata));
    for (const part of message.parts) bytes += partBytes(part);
    measured.set(message, bytes);
  }
  return bytes;
}

/**
 * Estimated bytes of a message that came in a request of `requestBytes` (its JSON text):
 * the request's length bounds the message's JSON, so the message is not walked.
 */
export function requestMessageBytes(requestBytes: number, message: Message): number {
  return requestBytes + (4 + message.parts.length) * OBJECT_OVERHEAD;
}

/** Estimated bytes of a task without its history and artifacts (as {@link taskBytes} counts them). */
export function taskBaseBytes(task: Task): number {
  return 8 * OBJECT_OVERHEAD + task.id.length + (task.contextId?.length ?? 0) + (task.metadata === undefined ? 0 : metadataBytes(task.metadata));
}

/** Estimated bytes of an artifact entry with these parts (as {@link taskBytes} counts them). */
export function artifactBytes(artifactId: string, parts: readonly Part[]): number {
  let bytes = 2 * OBJECT_OVERHEAD + artifactId.length;
  for (const part of parts) bytes += partBytes(part);
  return bytes;
}

/**
 * Estimated bytes of a task: its history (messages measured once each), its artifacts
 * (which grow in place: parts measured once each) and its metadata. Cheap enough to run
 * on every save.
 */
export function taskBytes(task: Task): number {
  let bytes = taskBaseBytes(task);
  for (const message of task.history ?? []) bytes += messageBytes(message);
  for (const artifact of task.artifacts ?? []) bytes += artifactBytes(artifact.artifactId, artifact.parts);
  // A status message that is not the last history entry (e.g. a stored task) counts too.
  const status = task.status.message;
  if (status !== undefined && task.history?.at(-1) !== status) bytes += messageBytes(status);
  return bytes;
}

function metadataBytes(metadata: object): number {
  let bytes = measured.get(metadata);
  if (bytes === undefined) {
    bytes = OBJECT_OVERHEAD + jsonLength(metadata);
    measured.set(metadata, bytes);
  }
  return bytes;
}

/** Nesting beyond which a value is measured by serialising it (a cycle throws there: 0). */
const MAX_WALK_DEPTH = 64;

/**
 * About the length of `value`'s JSON, counted by walking it: several times cheaper than
 * serialising a large data part only to take its length.
 */
function jsonLength(value: unknown): number {
  return estimateJsonLength(value) ?? 0;
}

/**
 * About the length of `value`'s JSON (see {@link jsonLength}); undefined when it cannot
 * be serialised (a cycle, a BigInt deep inside).
 */
export function estimateJsonLength(value: unknown): number | undefined {
  const walked = walk(value, 0);
  if (!Number.isNaN(walked)) return walked;
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return undefined;
  }
}

function walk(value: unknown, depth: number): number {
  switch (typeof value) {
    case "string":
      return value.length + 2;
    case "number":
      return 8;
    case "boolean":
      return 5;
    case "object": {
      if (value === null) return 4;
      if (depth > MAX_WALK_DEPTH) return Number.NaN;
      let bytes = 2;
      if (Array.isArray(value)) {
        for (const item of value) bytes += walk(item, depth + 1) + 1;
        return bytes;
      }
      for (const key in value) {
        if (Object.hasOwn(value, key)) bytes += key.length + 4 + walk((value as Record<string, unknown>)[key], depth + 1);
      }
      return bytes;
    }
    // Not JSON (JSON.stringify drops or refuses them): nothing to count.
    case "bigint":
    case "function":
    case "symbol":
    case "undefined":
      return 0;
  }
}
