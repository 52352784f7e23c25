import { CLAIM_USER_PROPERTY, RESPONDER_USER_PROPERTY, decodeReplies, type DecodedReply } from "@a2a/transport/binding";
import type { InboundMessage, Subscription, Transport } from "@a2a/transport";
import { A2AClientError } from "./errors.js";
import type { PendingRequests } from "./pending-requests.js";
import type { PoolRoutes } from "./pool-routes.js";

/**
 * The client's single reply subscription, `replies/{clientId}/{inbox}`. Every reply and
 * stream frame arrives here and is routed to its pending call by correlation data (MQTT 5)
 * or JSON-RPC id, a batch of stream frames frame by frame. Replies nobody waits for (late,
 * duplicated, forged) are dropped.
 */
export interface ReplyInboxOptions {
  transport: Transport;
  topic: string;
  pending: PendingRequests;
  /** @default 1_048_576 */
  maxPayloadBytes?: number | undefined;
  /** Learns which pool instance holds each call and task. */
  pool?: PoolRoutes | undefined;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

export class ReplyInbox {
  readonly #options: ReplyInboxOptions;
  /** decodeReplies's options, made once. */
  readonly #decodeOptions: { maxPayloadBytes?: number };
  #subscription: Subscription | undefined;

  constructor(options: ReplyInboxOptions) {
    this.#options = options;
    this.#decodeOptions = options.maxPayloadBytes === undefined ? {} : { maxPayloadBytes: options.maxPayloadBytes };
  }

  get topic(): string {
    return this.#options.topic;
  }

  async start(): Promise<void> {
    this.#subscription = await this.#options.transport.subscribe(this.#options.topic, (m) => this.#onMessage(m), {
      qos: 1,
    });
  }

  async close(): Promise<void> {
    await this.#subscription?.unsubscribe();
  }

  #onMessage(message: InboundMessage): void {
    const correlation =
      message.properties.correlationData !== undefined ? utf8.decode(message.properties.correlationData) : undefined;
    const userProperties = message.properties.userProperties;
    const responder = userProperties?.[RESPONDER_USER_PROPERTY];
    if (responder !== undefined && userProperties?.[CLAIM_USER_PROPERTY] === "1") {
      // A pool instance took the request; the reply follows.
      const entry = correlation === undefined ? undefined : this.#options.pending.get(correlation);
      if (entry) this.#options.pool?.observe(entry, responder);
      return;
    }
    const decoded = decodeReplies(message, this.#decodeOptions);
    if (!decoded.ok) {
      // Only the correlation data can tell whose reply this was; without it, drop it.
      const entry = correlation === undefined ? undefined : this.#options.pending.get(correlation);
      entry?.fail(new A2AClientError("INVALID_RESPONSE", `Agent ${entry.agent} sent an invalid reply: ${decoded.message}.`));
      return;
    }
    for (const reply of decoded.replies) this.#route(reply, correlation, responder);
  }

  #route(reply: DecodedReply, correlation: string | undefined, responder: string | undefined): void {
    const key = correlation ?? (typeof reply.id === "string" ? reply.id : undefined);
    if (key === undefined) return;
    const entry = this.#options.pending.get(key);
    if (!entry) return;
    // A reply must answer the request it claims to: the id has to match as well (an
    // agent that could not read the request answers an error with id null).
    if (reply.id !== entry.id && !(reply.id === null && reply.error !== undefined)) return;
    if (responder !== undefined) this.#options.pool?.observe(entry, responder, reply.result);
    const frame: Parameters<typeof entry.deliver>[0] = { final: reply.final };
    if (reply.error !== undefined) frame.error = reply.error;
    else frame.result = reply.result;
    if (reply.seq !== undefined) frame.seq = reply.seq;
    if (reply.eventSeq !== undefined) frame.eventSeq = reply.eventSeq;
    entry.deliver(frame);
  }
}
