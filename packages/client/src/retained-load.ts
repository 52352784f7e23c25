/**
 * When the retained messages a new subscription brings have all arrived. MQTT sends them
 * after the SUBACK with no end marker, so the load is over once none has come for a quiet
 * period. `maxWaitMs` bounds the wait while only live changes keep arriving (a busy
 * directory is never quiet), but not while retained ones still do: those are the broker's
 * store being read out, which ends, and cutting it short would leave agents unlisted on a
 * slow machine or a large fleet. {@link RETAINED_LOAD_LIMIT_MS} bounds even that.
 */
const RETAINED_LOAD_LIMIT_MS = 30_000;

/** When a subscription's messages last arrived (ms since the epoch; 0: none yet). */
export class MessageArrivals {
  /** The last message, retained or live. */
  lastMessageAt = 0;
  /** The last message with the retain flag. */
  lastRetainedAt = 0;

  /** Notes a message of the subscription as arriving now. */
  note(message: { retain: boolean }): void {
    this.lastMessageAt = Date.now();
    if (message.retain) this.lastRetainedAt = this.lastMessageAt;
  }
}

export interface RetainedLoadClock {
  quietMs: number;
  maxWaitMs: number;
  /** When the subscription was acknowledged (ms since the epoch). */
  subscribedAt(): number;
  /** The subscription's messages, as they arrive. */
  arrivals: MessageArrivals;
  /** True once the reader has closed: the load ends at once. */
  closed(): boolean;
}

/** Resolves when the retained load of a subscription is over (see the file's comment). */
export function retainedLoadSettled(clock: RetainedLoadClock): Promise<void> {
  const started = Date.now();
  const limit = Math.max(clock.maxWaitMs, RETAINED_LOAD_LIMIT_MS);
  // A timer this far behind its time means the process was held up (busy, or not
  // scheduled): the messages sent meanwhile may not have been read yet, nor, from a broker
  // in this process, even sent; the quiet so far proves nothing and is counted afresh.
  const stallMs = Math.max(10, clock.quietMs / 2);
  return new Promise<void>((resolve) => {
    let due = 0;
    let stalledAt = 0;
    const { arrivals } = clock;
    const lastSeen = () => Math.max(arrivals.lastMessageAt, clock.subscribedAt(), stalledAt);
    const check = () => {
      const now = Date.now();
      if (due !== 0 && now - due > stallMs) stalledAt = now;
      due = 0;
      const waited = now - started;
      if (clock.closed() || waited >= limit) return resolve();
      const quietFor = now - lastSeen();
      const retainedStillComing = now - Math.max(arrivals.lastRetainedAt, clock.subscribedAt()) < clock.quietMs;
      if (waited >= clock.maxWaitMs && !retainedStillComing) return resolve();
      if (quietFor >= clock.quietMs) {
        // A busy process may fire this timer late, with messages already waiting in the
        // socket: quiet counts only if one more turn of I/O brings none.
        const seen = lastSeen();
        setImmediate(() => (lastSeen() === seen ? resolve() : check()));
        return;
      }
      const untilCap = waited < clock.maxWaitMs ? clock.maxWaitMs - waited : limit - waited;
      const delay = Math.max(1, Math.min(clock.quietMs - quietFor, untilCap));
      due = now + delay;
      setTimeout(check, delay);
    };
    check();
  });
}
