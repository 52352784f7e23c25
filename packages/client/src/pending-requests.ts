/**
 * The table of requests waiting for replies, keyed by JSON-RPC id.
 *
 * All replies of one client arrive on its single inbox topic; the dispatcher looks the
 * id (or, on MQTT 5, the correlation data, which carries the same id) up here and hands
 * the frame to whoever waits: a one-shot call or a {@link StreamReader}.
 */

/** One decoded reply frame. */
export interface ReplyFrame {
  /** JSON-RPC `result`, when the reply is a success. */
  result?: unknown;
  /** JSON-RPC `error`, when the reply is an error. */
  error?: { code: number; message: string; data?: unknown };
  /** Stream frame number (streaming replies only). */
  seq?: number;
  /** True on the last frame of a stream. */
  final?: boolean;
  /** The task event a stream frame carries (for resuming a lost stream). */
  eventSeq?: number;
}

export interface PendingEntry {
  /** The JSON-RPC id (a UUID chosen by the client). */
  readonly id: string;
  /** `org/agent` the request went to, so an agent going offline fails its calls. */
  readonly agent: string;
  /** Receives each reply frame for this id. */
  deliver(frame: ReplyFrame): void;
  /** Ends the call with `error` (timeout, abort, close, agent offline). */
  fail(error: unknown): void;
  /**
   * The connection came back without its session: replies sent meanwhile are lost.
   * The call sends its request again (the agent answers a repeat from its memory).
   */
  sessionLost?(): void;
}

export class PendingRequests {
  readonly #entries = new Map<string, PendingEntry>();
  readonly #max: number;

  /** @param max most requests in flight at once; more are refused so memory stays bounded. */
  constructor(max = 10_000) {
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Registers `entry`; false when the table is full or the id is taken. */
  add(entry: PendingEntry): boolean {
    if (this.#entries.size >= this.#max || this.#entries.has(entry.id)) return false;
    this.#entries.set(entry.id, entry);
    return true;
  }

  get(id: string): PendingEntry | undefined {
    return this.#entries.get(id);
  }

  /** Removes `id` if it is still `entry` (a late removal never drops a newer entry). */
  delete(id: string, entry?: PendingEntry): void {
    if (entry === undefined || this.#entries.get(id) === entry) this.#entries.delete(id);
  }

  /** The calls in flight, in the order they were made. */
  entries(): PendingEntry[] {
    return [...this.#entries.values()];
  }

  /** Fails every call to `agent` (e.g. its card turned offline). */
  failAgent(agent: string, error: (entry: PendingEntry) => unknown): void {
    for (const entry of [...this.#entries.values()]) {
      if (entry.agent === agent) entry.fail(error(entry));
    }
  }

  /** Fails every pending call (e.g. the client closed). */
  failAll(error: (entry: PendingEntry) => unknown): void {
    for (const entry of [...this.#entries.values()]) entry.fail(error(entry));
    this.#entries.clear();
  }
}
