/**
 * Requests per agent over the last minute, in one-second buckets: memory per agent is
 * fixed whatever the traffic.
 */
const WINDOW_SECONDS = 60;

export class RequestRate {
  readonly #buckets = new Map<string, { counts: Uint32Array; second: number }>();
  readonly #maxAgents: number;

  constructor(maxAgents = 10_000) {
    this.#maxAgents = maxAgents;
  }

  record(agentId: string, now = Date.now()): void {
    const second = Math.floor(now / 1000);
    let entry = this.#buckets.get(agentId);
    if (entry === undefined) {
      if (this.#buckets.size >= this.#maxAgents) return;
      entry = { counts: new Uint32Array(WINDOW_SECONDS), second };
      this.#buckets.set(agentId, entry);
    }
    this.#advance(entry, second);
    entry.counts[second % WINDOW_SECONDS]! += 1;
  }

  /** Requests seen for `agentId` in the last 60 seconds. */
  perMinute(agentId: string, now = Date.now()): number {
    const entry = this.#buckets.get(agentId);
    if (entry === undefined) return 0;
    this.#advance(entry, Math.floor(now / 1000));
    let total = 0;
    for (const count of entry.counts) total += count;
    return total;
  }

  /** Clears the buckets of the seconds between the last one recorded and `second`. */
  #advance(entry: { counts: Uint32Array; second: number }, second: number): void {
    if (second <= entry.second) return;
    const steps = Math.min(second - entry.second, WINDOW_SECONDS);
    for (let i = 1; i <= steps; i++) entry.counts[(entry.second + i) % WINDOW_SECONDS] = 0;
    entry.second = second;
  }
}
