import { TransportError } from "../errors.js";
import { filterProblem, topicProblem } from "../topics/match-topic.js";
import type {
  ConnectionState,
  InboundMessage,
  MessageHandler,
  MessageProperties,
  MessageStream,
  PublishOptions,
  PublishResult,
  QoS,
  StreamOptions,
  SubscribeOptions,
  Subscription,
  Transport,
  TransportCapabilities,
  TransportEventName,
  TransportEvents,
} from "../transport.js";
import { consoleLogger, type Logger } from "../logger.js";
import { Emitter } from "./emitter.js";
import { type LocalSubscription, LocalRouter } from "./local-router.js";
import { MessageQueue, createMessageStream } from "./message-stream.js";

/** A publish after validation and defaults; its payload as the subclass's `encodePayload` made it. */
export interface OutboundMessage<P extends Uint8Array | string = Uint8Array> {
  topic: string;
  payload: P;
  qos: QoS;
  retain: boolean;
  properties?: MessageProperties;
}

/** How many unread messages a `stream()` holds before it fails with `overflow`. */
export const DEFAULT_STREAM_BUFFER = 10_000;

const encoder = new TextEncoder();

export function toBytes(payload: Uint8Array | string): Uint8Array {
  return typeof payload === "string" ? encoder.encode(payload) : payload;
}

function abortError(what: string, signal: AbortSignal): TransportError {
  return new TransportError("ABORTED", `${what} was aborted.`, { cause: signal.reason });
}

/**
 * What both transports share: argument checks, multiplexing of local subscriptions
 * over one connection, streams, and events. Subclasses speak to their broker.
 */
export abstract class TransportBase<P extends Uint8Array | string = Uint8Array> implements Transport {
  abstract readonly clientId: string;
  /** Where failures nobody listens for go; subclasses set it from their options. */
  protected logger: Logger = consoleLogger();
  protected readonly events = new Emitter<TransportEvents>((event, err) =>
    this.logger.error({ err, event, clientId: this.clientId }, `A listener of the "${event}" event threw`),
  );
  protected readonly router = new LocalRouter();
  protected currentState: ConnectionState = "idle";
  protected currentCapabilities: TransportCapabilities | undefined;

  get state(): ConnectionState {
    return this.currentState;
  }

  get capabilities(): TransportCapabilities {
    if (!this.currentCapabilities) {
      throw new TransportError("NOT_CONNECTED", "Capabilities are known once connect() has resolved; await it first.");
    }
    return this.currentCapabilities;
  }

  abstract connect(options?: { signal?: AbortSignal }): Promise<void>;
  abstract close(): Promise<void>;

  /** What to send for a payload given to `publish`: never an array the caller may change later. */
  protected abstract encodePayload(payload: Uint8Array | string): P;

  /** Sends one message; resolves when the broker acknowledged it (QoS ≥ 1). */
  protected abstract sendPublish(message: OutboundMessage<P>): Promise<PublishResult>;
  /** (Re)subscribes a filter at the broker; resolves on SUBACK. */
  protected abstract sendSubscribe(filter: string, qos: QoS, subscriptionId: number): Promise<void>;
  protected abstract sendUnsubscribe(filter: string): Promise<void>;

  on<E extends TransportEventName>(event: E, listener: (payload: TransportEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Fails unless publish/subscribe may be called now (queued while reconnecting). */
  protected assertUsable(action: string): void {
    if (this.currentState === "connected" || this.currentState === "reconnecting") return;
    if (this.currentState === "closed") {
      throw new TransportError("CLOSED", `Cannot ${action}: the transport is closed. Create a new one.`);
    }
    throw new TransportError("NOT_CONNECTED", `Cannot ${action} before connect() has resolved.`);
  }

  // Not an async function: the promise of sendPublish is handed back as it is, without
  // the extra promise and turns an async wrapper costs on every message.
  publish(topic: string, payload: Uint8Array | string, options: PublishOptions = {}): Promise<PublishResult> {
    let sent: Promise<PublishResult>;
    const { signal } = options;
    try {
      const problem = topicProblem(topic);
      if (problem) throw new TransportError("INVALID_TOPIC", `Cannot publish to ${JSON.stringify(topic)}: ${problem}.`);
      if (this.currentState !== "connected") this.assertUsable(`publish to ${topic}`);
      if (signal?.aborted) throw abortError(`Publishing to ${topic}`, signal);
      const message: OutboundMessage<P> = {
        topic,
        payload: this.encodePayload(payload),
        qos: options.qos ?? 1,
        retain: options.retain ?? false,
      };
      if (options.properties) message.properties = options.properties;
      sent = this.sendPublish(message);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!signal) return sent;
    return new Promise<PublishResult>((resolve, reject) => {
      const onAbort = () => reject(abortError(`Waiting for the acknowledgement of ${topic}`, signal));
      signal.addEventListener("abort", onAbort, { once: true });
      sent.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  async subscribe(filter: string, handler: MessageHandler, options: SubscribeOptions = {}): Promise<Subscription> {
    const problem = filterProblem(filter);
    if (problem) throw new TransportError("INVALID_TOPIC", `Cannot subscribe to ${JSON.stringify(filter)}: ${problem}.`);
    this.assertUsable(`subscribe to ${filter}`);
    const { signal } = options;
    if (signal?.aborted) throw abortError(`Subscribing to ${filter}`, signal);

    const local: LocalSubscription = { filter, handler, qos: options.qos ?? 1 };
    const { brokerFilter } = this.router.add(local);
    let active = true;
    const subscription: Subscription = {
      filter,
      unsubscribe: async () => {
        if (!active) return;
        active = false;
        signal?.removeEventListener("abort", onAbort);
        const { last } = this.router.remove(local);
        if (last && this.currentState !== "closed") await this.sendUnsubscribe(filter).catch(() => undefined);
      },
    };
    const onAbort = () => void subscription.unsubscribe();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      // Subscribed again even when the filter is already in use, so that this
      // subscriber too receives the retained messages (existing ones may see them again).
      await this.sendSubscribe(filter, brokerFilter.qos, brokerFilter.subscriptionId);
    } catch (error) {
      await subscription.unsubscribe();
      if (error instanceof TransportError) throw error;
      throw new TransportError("SUBSCRIBE_FAILED", `The broker refused the subscription to ${filter}.`, {
        cause: error,
      });
    }
    for (const message of this.router.takeUnrouted(filter)) this.invoke(local, message);
    return subscription;
  }

  async stream(filter: string, options: StreamOptions = {}): Promise<MessageStream> {
    let subscription: Subscription | undefined;
    const queue = new MessageQueue(options.maxBuffered ?? DEFAULT_STREAM_BUFFER, () => {
      void subscription?.unsubscribe();
    });
    subscription = await this.subscribe(filter, (message) => queue.push(message), options);
    options.signal?.addEventListener("abort", () => queue.end(), { once: true });
    return createMessageStream(subscription, queue);
  }

  /** Hands an inbound message to every local subscription that wants it. */
  protected dispatch(message: InboundMessage, subscriptionIds?: readonly number[]): void {
    for (const local of this.router.route(message, subscriptionIds)) this.invoke(local, message);
  }

  /** Restores every broker subscription, e.g. after the broker lost the session. */
  protected async restoreSubscriptions(): Promise<void> {
    await Promise.all(
      this.router.brokerFilters().map((f) => this.sendSubscribe(f.filter, f.qos, f.subscriptionId)),
    );
  }

  private invoke(local: LocalSubscription, message: InboundMessage): void {
    try {
      local.handler(message);
    } catch (error) {
      const wrapped = new Error(`A handler of the subscription ${local.filter} threw.`, { cause: error });
      // Reported, never rethrown: one faulty handler must not break the connection.
      if (!this.events.emit("error", wrapped)) this.logger.error({ err: wrapped, clientId: this.clientId }, wrapped.message);
    }
  }
}
