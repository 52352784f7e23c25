import { Socket } from "node:net";

/**
 * Holds a socket's writes until the callback that made them (an incoming batch of
 * packets, a timer) has run all its ticks and promise turns, then sends them in one
 * `writev`.
 *
 * mqtt.js (through mqtt-packet) corks the socket for each packet and uncorks it on
 * `process.nextTick`. Ticks run before promise turns, and mqtt.js handles each packet
 * of a batch in a tick of its own, so every PUBACK left in a write of its own and the
 * replies made from those messages a few promise turns later in another. Here the
 * first cork adds one more level, released by a tick that a microtask queues: it runs
 * after the pending ticks and the whole run of promise turns that follows them, so the
 * PUBACKs of a batch and the replies made from it within the same callback leave
 * together. Nothing waits for a timer or for the next turn of the event loop (unlike
 * Nagle's algorithm); `end()` still flushes at once.
 *
 * Only for `net.Socket`s (TCP and TLS): other streams (WebSocket) keep their own
 * writing.
 */
export function coalesceWrites(stream: unknown): void {
  if (!(stream instanceof Socket)) return;
  const cork = stream.cork.bind(stream);
  let held = false;
  const release = (): void => {
    held = false;
    stream.uncork();
  };
  const releaseOnNextTick = (): void => process.nextTick(release);
  // An own property shadowing the prototype's: every other cork/uncork pair stays balanced.
  stream.cork = function corkUntilTurnsRan(): void {
    cork();
    if (!held) {
      held = true;
      cork();
      queueMicrotask(releaseOnNextTick);
    }
  };
}
