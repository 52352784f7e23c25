import { isTerminalState, type StreamResponse } from "@a2a/schema";
import { estimateJsonLength } from "./memory-budget.js";
import { RecencyList } from "./recency-list.js";

/**
 * The recent events of one task, numbered 1, 2, 3, ... in publish order (the per-task
 * event sequence a stream frame carries as `eventSeq`), bounded in count and in bytes:
 * the oldest are forgotten first. A client that lost its stream resumes from here
 * (SubscribeToTask with a resume point, docs/binding.md section 5.1).
 */
export class EventWindow {
  readonly #owner: ResumeWindows;
  /** The task whose events these are. */
  readonly taskId: string;
  readonly #events: StreamResponse[] = [];
  readonly #sizes: number[] = [];
  #head = 0;
  #last = 0;
  #bytes = 0;
  /** @internal Until when the window of an ended task is kept; undefined while it runs. */
  endedUntil: number | undefined = undefined;
  /** @internal The order of the ended tasks' windows (kept by their {@link ResumeWindows}). */
  older: EventWindow | undefined = undefined;
  /** @internal See {@link older}. */
  newer: EventWindow | undefined = undefined;

  constructor(owner: ResumeWindows, taskId = "") {
    this.#owner = owner;
    this.taskId = taskId;
  }

  /** The number of the last event published (0 before the first). */
  get last(): number {
    return this.#last;
  }

  /** Bytes of the events held (their JSON text). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Numbers and keeps `event`; returns its number. */
  append(event: StreamResponse): number {
    const size = byteSize(event, this.#owner.limits.maxBytes);
    this.#last += 1;
    this.#events.push(event);
    this.#sizes.push(size);
    this.#bytes += size;
    this.#owner.added(size);
    const { maxEvents, maxBytes } = this.#owner.limits;
    // Over the agent-wide bound even after the ended tasks' windows went: this window
    // gives up its oldest events (a client resuming from them then gets the Task).
    while (this.#held > 0 && (this.#held > maxEvents || this.#bytes > maxBytes || this.#owner.overBudget)) this.#dropOldest();
    this.#compact();
    if (endsTask(event)) this.#owner.ended(this);
    return this.#last;
  }

  /**
   * The events after number `after`, oldest first; undefined when the window no longer
   * holds all of them (or never had `after`: a number from before an agent restart).
   */
  since(after: number): StreamResponse[] | undefined {
    if (!Number.isSafeInteger(after) || after < 0 || after > this.#last) return undefined;
    const firstHeld = this.#last - this.#held + 1;
    if (after + 1 < firstHeld) return undefined;
    return this.#events.slice(this.#head + (after + 1 - firstHeld));
  }

  /** Forgets every event (the window is dropped). */
  clear(): void {
    this.#owner.added(-this.#bytes);
    this.#events.length = 0;
    this.#sizes.length = 0;
    this.#head = 0;
    this.#bytes = 0;
  }

  get #held(): number {
    return this.#events.length - this.#head;
  }

  #dropOldest(): void {
    const size = this.#sizes[this.#head]!;
    this.#events[this.#head] = undefined as unknown as StreamResponse;
    this.#head += 1;
    this.#bytes -= size;
    this.#owner.added(-size);
  }

  /** Moves the held events to the front once the dropped ones make up half the array. */
  #compact(): void {
    if (this.#head < 64 || this.#head * 2 < this.#events.length) return;
    this.#events.splice(0, this.#head);
    this.#sizes.splice(0, this.#head);
    this.#head = 0;
  }
}

/**
 * About the event's JSON length, counted without serialising it (its frame serialises it
 * once more anyway); one that cannot be serialised counts as too large to keep.
 */
function byteSize(event: StreamResponse, maxBytes: number): number {
  return estimateJsonLength(event) ?? maxBytes + 1;
}

function endsTask(event: StreamResponse): boolean {
  return "statusUpdate" in event && isTerminalState(event.statusUpdate.status.state);
}

export interface ResumeWindowOptions {
  /** Events kept per task. @default 256 */
  maxEvents?: number;
  /** Bytes of events kept per task. @default 262144 (256 KiB) */
  maxBytes?: number;
  /**
   * Bytes of events kept in all windows; beyond, windows of ended tasks are dropped,
   * oldest first, then the oldest events of the window being added to. @default 16777216 (16 MiB)
   */
  maxTotalBytes?: number;
  /** How long the window of an ended task is kept, for clients that come back late. @default 60000 */
  keepEndedMs?: number;
  /** Windows of ended tasks kept at most. @default 1000 */
  maxEnded?: number;
  /** Told every change of the bytes held (an agent-wide memory budget charges them). */
  onBytesChanged?: (delta: number) => void;
}

/**
 * The event windows of an agent's tasks: one per task that someone streamed (others
 * number nothing, so resuming needs a stream first), kept while the task runs and for a
 * while after it ended, bounded per task and in all, in count and in bytes.
 */
export class ResumeWindows {
  readonly limits: { maxEvents: number; maxBytes: number };
  readonly #maxTotalBytes: number;
  readonly #keepEndedMs: number;
  readonly #maxEnded: number;
  readonly #onBytesChanged: ((delta: number) => void) | undefined;
  readonly #windows = new Map<string, EventWindow>();
  /**
   * Ended tasks' windows, oldest first. A list rather than a Map used as a queue: the
   * oldest entry of a Map is found by walking over every entry deleted from its front.
   */
  readonly #ended = new RecencyList<EventWindow>();
  #endedCount = 0;
  #bytes = 0;

  constructor(options: ResumeWindowOptions = {}) {
    this.limits = { maxEvents: Math.max(1, options.maxEvents ?? 256), maxBytes: Math.max(0, options.maxBytes ?? 256 * 1024) };
    this.#maxTotalBytes = options.maxTotalBytes ?? 16 * 1024 * 1024;
    this.#keepEndedMs = options.keepEndedMs ?? 60_000;
    this.#maxEnded = options.maxEnded ?? 1000;
    this.#onBytesChanged = options.onBytesChanged;
  }

  /** Bytes held by every window (for the agent's memory budget). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Number of windows held. */
  get size(): number {
    return this.#windows.size;
  }

  /** The window of `taskId`, made when absent. */
  open(taskId: string): EventWindow {
    let window = this.#windows.get(taskId);
    if (window === undefined) {
      window = new EventWindow(this, taskId);
      this.#windows.set(taskId, window);
    }
    return window;
  }

  get(taskId: string): EventWindow | undefined {
    this.#expire(Date.now());
    return this.#windows.get(taskId);
  }

  /** @internal True while the windows hold more than `maxTotalBytes`. */
  get overBudget(): boolean {
    return this.#bytes > this.#maxTotalBytes;
  }

  /** @internal A window's byte count changed by `delta`. */
  added(delta: number): void {
    this.#bytes += delta;
    if (delta !== 0) this.#onBytesChanged?.(delta);
    if (delta > 0 && this.#bytes > this.#maxTotalBytes) this.#dropEnded(() => this.#bytes > this.#maxTotalBytes);
  }

  /**
   * Gives memory back for a budget: drops the windows of ended tasks, oldest first,
   * until at least `bytes` are freed or none is left; returns the bytes freed.
   */
  reclaim(bytes: number): number {
    const before = this.#bytes;
    this.#dropEnded(() => before - this.#bytes < bytes);
    return before - this.#bytes;
  }

  /** @internal The window's task reached a terminal state. */
  ended(window: EventWindow): void {
    const id = window.taskId;
    // A window dropped meanwhile (or another one for the task) is not kept on.
    if (this.#windows.get(id) !== window) return;
    const now = Date.now();
    this.#expire(now);
    if (this.#windows.get(id) !== window) return;
    if (window.endedUntil !== undefined) this.#unlinkEnded(window);
    window.endedUntil = now + this.#keepEndedMs;
    this.#ended.append(window);
    this.#endedCount += 1;
    if (this.#endedCount > this.#maxEnded) this.#dropEnded(() => this.#endedCount > this.#maxEnded);
  }

  #expire(now: number): void {
    for (let window = this.#ended.oldest; window !== undefined && window.endedUntil! <= now; window = this.#ended.oldest) this.#drop(window);
  }

  #dropEnded(more: () => boolean): void {
    while (this.#ended.oldest !== undefined && more()) this.#drop(this.#ended.oldest);
  }

  #unlinkEnded(window: EventWindow): void {
    this.#ended.unlink(window);
    this.#endedCount -= 1;
    window.endedUntil = undefined;
  }

  /** Forgets an ended task's window. */
  #drop(window: EventWindow): void {
    this.#unlinkEnded(window);
    if (this.#windows.get(window.taskId) === window) this.#windows.delete(window.taskId);
    window.clear();
  }
}
