import { Socket } from "node:net";
import { writeBuffer } from "./write-slab.js";

/** Pieces up to this size are copied into one buffer while held; larger ones are passed on as they are. */
const MAX_COPIED = 16 * 1024;

/** What {@link sendHeldNow} and {@link holdAck} reach of a coalescing socket. */
interface Coalescer {
  releaseEarly(): void;
  holdAck(ack: Uint8Array): boolean | undefined;
}

const coalescers = new WeakMap<object, Coalescer>();

/**
 * Sends what `stream` holds now, once per hold (later calls in the same hold do
 * nothing). Called after each PUBLISH is written: the first message of a turn (a reply,
 * a request) leaves at once, with the acknowledgements held before it behind it, and
 * the broker forwards it while this process does the rest of its turn (saving the
 * task, say) instead of after it. Messages that follow in the same turn still share
 * one write.
 */
export function sendHeldNow(stream: object): void {
  coalescers.get(stream)?.releaseEarly();
}

/**
 * Holds an acknowledgement (a whole PUBACK) to go after everything else the hold
 * sends: a broker reads a write in order, and a message ahead of the PUBACKs is
 * forwarded before they are handled. MQTT orders PUBACKs among themselves only, and
 * they keep that order. Answers as `write` does (false: wait for `drain`), or undefined
 * when `stream` holds nothing now: then write it as usual.
 */
export function holdAck(stream: object, ack: Uint8Array): boolean | undefined {
  return coalescers.get(stream)?.holdAck(ack);
}

/**
 * Holds a socket's writes until the event loop has run the callbacks of the current
 * batch of I/O events (or the timer that wrote) with all their ticks and promise turns,
 * then sends them in one write: released from `setImmediate`, which runs once those
 * callbacks are done and before the loop waits for anything new. The first message of
 * a hold does not wait (see {@link sendHeldNow}): it leaves with what is held before it.
 *
 * mqtt.js (through mqtt-packet) corks the socket for each packet and uncorks it on
 * `process.nextTick`, and handles each packet of a batch in a tick of its own, so every
 * PUBACK would leave in a write of its own and the replies made from those messages a
 * few promise turns (and maybe ticks) later in others. Here the first cork adds one more
 * level, released by the immediate: the PUBACKs of a batch leave with the first reply
 * made from it (behind it, see {@link holdAck}), however many ticks and turns that
 * took, and the further replies of the turn together after it. Nothing waits for a
 * timer or for new I/O (unlike Nagle's algorithm); a lone request or reply leaves as it
 * is written; `end()` flushes at once.
 *
 * mqtt-packet also writes every packet in pieces (a PUBLISH with MQTT 5 properties is
 * some twenty writes of a few bytes each); each piece costs the socket's writable a
 * buffered entry and the `writev` a slice. While the writes are held, small pieces are
 * copied into one buffer instead, handed to the socket as one write when the hold ends,
 * when a larger piece or a write with a callback comes, or when the held bytes reach
 * the socket's high-water mark (then the socket's own return value, and its `drain`,
 * tell the writer to wait, as without the copying).
 *
 * Only for `net.Socket`s (TCP and TLS): other streams (WebSocket) keep their own
 * writing.
 */
export function coalesceWrites(stream: unknown): void {
  if (!(stream instanceof Socket)) return;
  const cork = stream.cork.bind(stream);
  const write = stream.write.bind(stream) as (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
  const end = stream.end.bind(stream) as (...args: unknown[]) => Socket;
  let held = false;
  // pieces[0, count) and heldAcks[0, ackCount) are held; the arrays are reused from one hold to the next.
  const pieces: Array<string | Uint8Array> = [];
  let count = 0;
  const heldAcks: Uint8Array[] = [];
  let ackCount = 0;
  let heldBytes = 0;
  let ackBytes = 0;
  /** What the socket would answer with the held bytes buffered: below its high-water mark. */
  const belowMark = (): boolean => heldBytes + ackBytes + stream.writableLength < stream.writableHighWaterMark;

  const copy = (joined: Buffer & { utf8Write(text: string, offset: number): number }, piece: string | Uint8Array, at: number): number => {
    if (typeof piece === "string") return at + joined.utf8Write(piece, at);
    if (piece.byteLength <= 8) {
      // Most pieces are a few bytes (a header, a length, an id): a loop beats set() there.
      for (let j = 0; j < piece.byteLength; j++) joined[at++] = piece[j]!;
      return at;
    }
    joined.set(piece, at);
    return at + piece.byteLength;
  };

  /**
   * Writes the held pieces, and the held acknowledgements after them when `withAcks`
   * says the pieces end where a packet ends. A write of the writer's may stop inside a
   * packet (a large piece, the high-water mark): the acknowledgements then wait, or they
   * would land inside it.
   */
  const flush = (withAcks: boolean): boolean => {
    const takenAcks = withAcks ? ackCount : 0;
    if (count + takenAcks === 0) return true;
    const size = withAcks ? heldBytes + ackBytes : heldBytes;
    const taken = count;
    count = 0;
    heldBytes = 0;
    if (withAcks) {
      ackCount = 0;
      ackBytes = 0;
    }
    if (stream.destroyed) return false;
    if (taken + takenAcks === 1) return write(taken === 1 ? pieces[0] : heldAcks[0]);
    const joined = writeBuffer(size) as Buffer & { utf8Write(text: string, offset: number): number };
    let at = 0;
    for (let i = 0; i < taken; i++) at = copy(joined, pieces[i]!, at);
    for (let i = 0; i < takenAcks; i++) at = copy(joined, heldAcks[i]!, at);
    // A rare large batch does not keep its many references (and their bytes) alive.
    if (taken > 1024) pieces.length = 0;
    if (takenAcks > 1024) heldAcks.length = 0;
    return write(joined);
  };

  let releasedEarly = false;
  coalescers.set(stream, {
    releaseEarly() {
      if (!held || releasedEarly) return;
      releasedEarly = true;
      // Called right after a PUBLISH was written whole: the pieces end with it.
      flush(true);
      // Out of every cork level, which writes what the socket buffered, and back in: the
      // uncorks still pending (this hold's, the writer's next tick) stay balanced.
      const levels = stream.writableCorked;
      for (let i = 0; i < levels; i++) stream.uncork();
      for (let i = 0; i < levels; i++) cork();
    },
    holdAck(ack) {
      if (!held) return undefined;
      heldAcks[ackCount++] = ack;
      ackBytes += ack.byteLength;
      // Past the high-water mark, as for other writes: the socket takes the bytes and answers.
      return belowMark() ? true : flush(true);
    },
  });

  const release = (): void => {
    held = false;
    releasedEarly = false;
    // Between turns no packet is half written.
    flush(true);
    stream.uncork();
  };
  // Own properties shadowing the prototype's: every other cork/uncork pair stays balanced.
  stream.cork = function corkUntilTurnsRan(): void {
    cork();
    if (!held) {
      held = true;
      cork();
      setImmediate(release);
    }
  };
  stream.write = function writeHeld(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    if (held && callback === undefined && typeof encoding !== "function") {
      let size = -1;
      if (typeof chunk === "string") {
        if (encoding === undefined || encoding === "utf8" || encoding === "utf-8") size = Buffer.byteLength(chunk, "utf8");
      } else if (chunk instanceof Uint8Array) size = chunk.byteLength;
      if (size >= 0 && size <= MAX_COPIED) {
        pieces[count++] = chunk as string | Uint8Array;
        heldBytes += size;
        // What the socket would answer with these bytes buffered: past its high-water
        // mark, they go to it now, so that its answer (false) and its `drain` are real.
        if (belowMark()) return true;
        return flush(false);
      }
    }
    flush(false);
    return write(chunk, encoding, callback);
  };
  stream.end = function endFlushed(...args: unknown[]): Socket {
    flush(true);
    return end(...args);
  };
}
