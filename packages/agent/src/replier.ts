import { toJsonRpcError } from "@a2a/schema";
import type { PublishOptions, Transport } from "@a2a/transport";
import type { MemoryBudget } from "./memory-budget.js";
import type { FrameMembers } from "./operation.js";
import type { ReplyObserver } from "./telemetry/agent-telemetry.js";
import {
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

  constructor(options: ReplierOptions) {
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
    if (resultJson === undefined) return this.#publish({ body: jsonRpcResult(this.#id, result), seq: this.#seq++, final, ...(members === undefined ? {} : { members }) });
    return this.#send(streamFrameText({ idJson, resultJson, seq: this.#seq++, final, members }));
  }

  /** A stream's closing error frame. */
  errorFrame(error: unknown): Promise<void> {
    const wire = toJsonRpcError(error);
    this.#observer?.errorReplied(wire);
    return this.#publish({ body: jsonRpcError(this.#id, wire), seq: this.#seq++, final: true });
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
