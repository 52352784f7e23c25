import { toJsonRpcError } from "@a2a/schema";
import type { PublishOptions, Transport } from "@a2a/transport";
import type { ReplyObserver } from "./telemetry/agent-telemetry.js";
import {
  JSON_CONTENT_TYPE,
  encodeReply,
  jsonRpcError,
  jsonRpcResult,
  type JsonRpcErrorObject,
  type JsonRpcId,
  type ReplyRoute,
} from "@a2a/transport/binding";

const RESOLVED: Promise<void> = Promise.resolve();
const ignore = (): void => undefined;

/**
 * Publishes the replies to one request on its reply route. Without a reply topic (a
 * notification) every call is a no-op. A reply that cannot be encoded throws at once
 * (before anything is sent); the returned promise settles when the broker acknowledged
 * the message and never rejects: publishing failures go to `onError`, they never reach
 * the task.
 */
export class Replier {
  readonly #transport: Transport;
  readonly #route: ReplyRoute;
  readonly #id: JsonRpcId;
  readonly #onError: (error: unknown) => void;
  readonly #observer: ReplyObserver | undefined;
  #seq = 0;

  constructor(options: { transport: Transport; route: ReplyRoute; id: JsonRpcId; onError: (error: unknown) => void; observer?: ReplyObserver | undefined }) {
    this.#observer = options.observer;
    this.#transport = options.transport;
    this.#route = options.route;
    this.#id = options.id;
    this.#onError = options.onError;
  }

  get canReply(): boolean {
    return this.#route.replyTopic !== undefined;
  }

  /** A success reply whose `result` is already JSON text (cached replies re-use it). */
  resultJson(json: string): Promise<void> {
    return this.#publishRaw(`{"jsonrpc":"2.0","id":${JSON.stringify(this.#id)},"result":${json}}`);
  }

  result(result: unknown): Promise<void> {
    return this.#publish(jsonRpcResult(this.#id, result));
  }

  error(error: unknown): Promise<void> {
    return this.errorObject(toJsonRpcError(error));
  }

  errorObject(error: JsonRpcErrorObject): Promise<void> {
    this.#observer?.errorReplied(error);
    return this.#publish(jsonRpcError(this.#id, error));
  }

  /** One stream frame; `seq` counts up from 0 per replier; `members` are further frame members (`eventSeq`). */
  frame(result: unknown, final: boolean, members?: object): Promise<void> {
    return this.#publish(jsonRpcResult(this.#id, result), this.#seq++, final, members);
  }

  /** A stream's closing error frame. */
  errorFrame(error: unknown): Promise<void> {
    const wire = toJsonRpcError(error);
    this.#observer?.errorReplied(wire);
    return this.#publish(jsonRpcError(this.#id, wire), this.#seq++, true);
  }

  /** A body that is not JSON-RPC (a compact Task Result), already JSON text. */
  rawJson(json: string): Promise<void> {
    return this.#publishRaw(json);
  }

  /** A body that is not JSON-RPC (a compact Task Result). */
  raw(body: object): Promise<void> {
    return this.#publish(body);
  }

  #publish(body: object, seq?: number, final?: boolean, members?: object): Promise<void> {
    if (this.#route.replyTopic === undefined) return RESOLVED;
    const options: Parameters<typeof encodeReply>[0] = { body };
    if (seq !== undefined) options.seq = seq;
    if (final !== undefined) options.final = final;
    if (members !== undefined) options.members = members;
    if (this.#route.correlationData !== undefined) options.correlationData = this.#route.correlationData;
    const encoded = encodeReply(options);
    return this.#send(encoded.payload, encoded.options);
  }

  #publishRaw(payload: string): Promise<void> {
    if (this.#route.replyTopic === undefined) return RESOLVED;
    const properties: NonNullable<PublishOptions["properties"]> = { contentType: JSON_CONTENT_TYPE };
    if (this.#route.correlationData !== undefined) properties.correlationData = this.#route.correlationData;
    return this.#send(payload, { qos: 1, properties });
  }

  #send(payload: string, options: PublishOptions): Promise<void> {
    try {
      return this.#transport.publish(this.#route.replyTopic as string, payload, options).then(ignore, this.#onError);
    } catch (error) {
      this.#onError(error);
      return RESOLVED;
    }
  }
}
