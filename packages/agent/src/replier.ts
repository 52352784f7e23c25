import type { Transport } from "@a2a/transport";
import {
  encodeReply,
  jsonRpcError,
  jsonRpcResult,
  toJsonRpcError,
  type JsonRpcErrorObject,
  type JsonRpcId,
  type ReplyRoute,
} from "@a2a/transport/binding";

/**
 * Publishes the replies to one request on its reply route. Without a reply topic (a
 * notification) every call is a no-op. Publishing failures go to `onError`; they never
 * reach the task.
 */
export class Replier {
  readonly #transport: Transport;
  readonly #route: ReplyRoute;
  readonly #id: JsonRpcId;
  readonly #onError: (error: unknown) => void;
  #seq = 0;

  constructor(options: { transport: Transport; route: ReplyRoute; id: JsonRpcId; onError: (error: unknown) => void }) {
    this.#transport = options.transport;
    this.#route = options.route;
    this.#id = options.id;
    this.#onError = options.onError;
  }

  get canReply(): boolean {
    return this.#route.replyTopic !== undefined;
  }

  /** A success reply whose `result` is already JSON text (cached replies re-use it). */
  async resultJson(json: string): Promise<void> {
    await this.#publishRaw(`{"jsonrpc":"2.0","id":${JSON.stringify(this.#id)},"result":${json}}`);
  }

  async result(result: unknown): Promise<void> {
    await this.#publish(jsonRpcResult(this.#id, result));
  }

  async error(error: unknown): Promise<void> {
    await this.#publish(jsonRpcError(this.#id, toJsonRpcError(error)));
  }

  async errorObject(error: JsonRpcErrorObject): Promise<void> {
    await this.#publish(jsonRpcError(this.#id, error));
  }

  /** One stream frame; `seq` counts up from 0 per replier. */
  async frame(result: unknown, final: boolean): Promise<void> {
    await this.#publish(jsonRpcResult(this.#id, result), { seq: this.#seq++, final });
  }

  /** A stream's closing error frame. */
  async errorFrame(error: unknown): Promise<void> {
    await this.#publish(jsonRpcError(this.#id, toJsonRpcError(error)), { seq: this.#seq++, final: true });
  }

  /** A body that is not JSON-RPC (a compact Task Result), already JSON text. */
  async rawJson(json: string): Promise<void> {
    await this.#publishRaw(json);
  }

  /** A body that is not JSON-RPC (a compact Task Result). */
  async raw(body: object): Promise<void> {
    await this.#publish(body);
  }

  async #publish(body: object, frame: { seq?: number; final?: boolean } = {}): Promise<void> {
    if (this.#route.replyTopic === undefined) return;
    const options: Parameters<typeof encodeReply>[0] = { body, ...frame };
    if (this.#route.correlationData !== undefined) options.correlationData = this.#route.correlationData;
    const encoded = encodeReply(options);
    await this.#send(encoded.payload, encoded.options);
  }

  async #publishRaw(payload: string): Promise<void> {
    if (this.#route.replyTopic === undefined) return;
    const options: Parameters<typeof encodeReply>[0] = { body: {} };
    if (this.#route.correlationData !== undefined) options.correlationData = this.#route.correlationData;
    await this.#send(payload, encodeReply(options).options);
  }

  async #send(payload: string, options: ReturnType<typeof encodeReply>["options"]): Promise<void> {
    try {
      await this.#transport.publish(this.#route.replyTopic as string, payload, options);
    } catch (error) {
      this.#onError(error);
    }
  }
}
