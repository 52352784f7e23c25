import { toJsonRpcError } from "@a2a/schema";
import type { PublishOptions, Transport } from "@a2a/transport";
import type { MemoryBudget } from "./memory-budget.js";
import type { FrameMembers } from "./operation.js";
import type { ReplyObserver } from "./telemetry/agent-telemetry.js";
import {
  MAX_BATCH_CHARS,
  MAX_BATCH_FRAMES,
  frameBatchPayload,
  jsonRpcError,
  jsonRpcResult,
  jsonRpcResultText,
  replyPayload,
  replyPublishOptions,
  streamFrameText,
  type EncodeReplyOptions,
  type JsonRpcErrorObject,
  type JsonRpcId,
  type ReplyRoute,
} from "@a2a/transport/binding";

const RESOLVED: Promise<void> = Promise.resolve();
const ignore = (): void => undefined;

export interface ReplierOptions {
  transport: Transport;
  route: ReplyRoute;
  id: JsonRpcId;
  onError: (error: unknown) => void;
  observer?: ReplyObserver | undefined;
  /**
   * Counts every reply against this budget until the broker acknowledged it: replies and
   * stream frames waiting for their PUBACK hold their payload (and the client library its
   * encoded packet), so a flood of large replies to a slow broker slows down new work
   * instead of growing memory.
   */
  budget?: MemoryBudget | undefined;
  /**
   * Stream frames ready in the same turn of the event loop go out as one message, a JSON
   * array of frames (docs/binding.md section 5.2): for requests that activated the
   * frame-batch extension.
   */
  frameBatches?: boolean | undefined;
}

/** Stream frames held until the end of the current turn of the event loop, then published as one message. */
interface HeldFrames {
  texts: string[];
  chars: number;
  /** Settles when the message holding them was acknowledged (or failed, reported to `onError`). */
  sent: Promise<void>;
  release: (sent: Promise<void>) => void;
}

/**
 * Publishes the replies to one request on its reply route. Without a reply topic (a
 * notification) every call is a no-op. A reply that cannot be encoded throws at once
 * (before anything is sent); the returned promise settles when the broker acknowledged
 * the message and never rejects: publishing failures go to `onError`, they never reach
 * the task. The envelope, the frame members and the publish properties are the
 * binding's (`@a2a/transport/binding`).
 */
export class Replier {
  readonly #transport: Transport;
  readonly #route: ReplyRoute;
  readonly #id: JsonRpcId;
  readonly #onError: (error: unknown) => void;
  readonly #observer: ReplyObserver | undefined;
  readonly #budget: MemoryBudget | undefined;
  #seq = 0;
  #idJson: string | undefined;
  #options: PublishOptions | undefined;
  readonly #frameBatches: boolean;
  #held: HeldFrames | undefined;

  constructor(options: ReplierOptions) {
    this.#frameBatches = options.frameBatches === true;
    this.#observer = options.observer;
    this.#transport = options.transport;
    this.#route = options.route;
    this.#id = options.id;
    this.#onError = options.onError;
    this.#budget = options.budget;
  }

  get canReply(): boolean {
    return this.#route.replyTopic !== undefined;
  }

  /** A success reply whose `result` is already JSON text (cached replies re-use it). */
  resultJson(json: string): Promise<void> {
    if (this.#route.replyTopic === undefined) return RESOLVED;
    return this.#send(jsonRpcResultText(this.#id, json));
  }

  result(result: unknown): Promise<void> {
    return this.#publish({ body: jsonRpcResult(this.#id, result) });
  }

  error(error: unknown): Promise<void> {
    return this.errorObject(toJsonRpcError(error));
  }

  errorObject(error: JsonRpcErrorObject): Promise<void> {
    this.#observer?.errorReplied(error);
    return this.#publish({ body: jsonRpcError(this.#id, error) });
  }

  /** One stream frame; `seq` counts up from 0 per replier; `members` are further frame members (`eventSeq`). */
  frame(result: unknown, final: boolean, members?: FrameMembers): Promise<void> {
    if (this.#route.replyTopic === undefined) return RESOLVED;
    // Every frame of a stream passes here: its text written out, the id's JSON made once.
    const idJson = (this.#idJson ??= JSON.stringify(this.#id));
    const resultJson = JSON.stringify(result) as string | undefined;
    if (resultJson === undefined) {
      return this.#sendFrame(replyPayload({ body: jsonRpcResult(this.#id, result), seq: this.#seq++, final, ...(members === undefined ? {} : { members }) }), final);
    }
    return this.#sendFrame(streamFrameText({ idJson, resultJson, seq: this.#seq++, final, members }), final);
  }

  /** A stream's closing error frame. */
  errorFrame(error: unknown): Promise<void> {
    const wire = toJsonRpcError(error);
    this.#observer?.errorReplied(wire);
    if (this.#route.replyTopic === undefined) return RESOLVED;
    return this.#sendFrame(replyPayload({ body: jsonRpcError(this.#id, wire), seq: this.#seq++, final: true }), true);
  }

  /** A body that is not JSON-RPC (a compact Task Result), already JSON text. */
  rawJson(json: string): Promise<void> {
    if (this.#route.replyTopic === undefined) return RESOLVED;
    return this.#send(json);
  }

  /** A body that is not JSON-RPC (a compact Task Result). */
  raw(body: object): Promise<void> {
    return this.#publish({ body });
  }

  #publish(reply: EncodeReplyOptions): Promise<void> {
    if (this.#route.replyTopic === undefined) return RESOLVED;
    return this.#send(replyPayload(reply));
  }

  /**
   * A frame, published at once or, with frame batches, held with the frames made in the
   * same turn of the event loop (the handler's burst of updates) and published with them:
   * when the turn ends, when the batch is full, or with the stream's last frame.
   */
  #sendFrame(text: string, final: boolean): Promise<void> {
    if (!this.#frameBatches) return this.#send(text);
    let held = this.#held;
    const maxChars = this.#maxBatchChars();
    if (held !== undefined && (held.texts.length >= MAX_BATCH_FRAMES || held.chars + text.length > maxChars)) {
      this.#releaseHeld();
      held = undefined;
    }
    if (held === undefined) {
      // A frame too large to share a batch goes out alone, as without batches.
      if (text.length > maxChars) return this.#send(text);
      let release!: (sent: Promise<void>) => void;
      const sent = new Promise<void>((resolve) => (release = resolve));
      held = this.#held = { texts: [], chars: 0, sent, release };
      setImmediate(Replier.#releaseHeldOf, this);
    }
    held.texts.push(text);
    held.chars += text.length + 1;
    const sent = held.sent;
    if (final) this.#releaseHeld();
    return sent;
  }

  /**
   * The characters a batch may hold: {@link MAX_BATCH_CHARS}, or less when the broker
   * announced a smaller packet limit (a character may take 3 bytes in UTF-8), so that
   * batching never makes a message the broker would refuse out of frames it would take.
   */
  #maxBatchChars(): number {
    const limit = this.#transport.capabilities.maximumPacketSize;
    return limit === undefined ? MAX_BATCH_CHARS : Math.min(MAX_BATCH_CHARS, Math.floor((limit - 1024) / 3));
  }

  // A method (not an arrow field): every reply makes a Replier, few of them hold frames.
  #releaseHeld(): void {
    const held = this.#held;
    if (held === undefined) return;
    this.#held = undefined;
    held.release(this.#send(frameBatchPayload(held.texts)));
  }

  static #releaseHeldOf(replier: Replier): void {
    replier.#releaseHeld();
  }

  #send(payload: string): Promise<void> {
    // The same for every reply on this route; nothing downstream changes it.
    const options: PublishOptions = (this.#options ??= replyPublishOptions(this.#route.correlationData));
    const budget = this.#budget;
    if (budget === undefined) {
      try {
        return this.#transport.publish(this.#route.replyTopic as string, payload, options).then(ignore, this.#onError);
      } catch (error) {
        this.#onError(error);
        return RESOLVED;
      }
    }
    // A string's length is its size within a factor of two; exact enough for a bound.
    const bytes = payload.length;
    budget.charge(bytes);
    // Given back in the one callback the reply needs anyway (no promise of a wrapper).
    try {
      return this.#transport.publish(this.#route.replyTopic as string, payload, options).then(
        () => budget.release(bytes),
        (error: unknown) => {
          budget.release(bytes);
          this.#onError(error);
        },
      );
    } catch (error) {
      budget.release(bytes);
      this.#onError(error);
      return RESOLVED;
    }
  }
}
