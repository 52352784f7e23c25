/**
 * The transport contract. Everything above this layer (agents, clients, the CLI)
 * talks to a `Transport`, never to an MQTT library directly, so the same code runs
 * over a real broker (`MqttTransport`) or in process (`InMemoryTransport`).
 *
 * The contract keeps MQTT's semantics (topics, filters with `+`/`#`, QoS, retained
 * messages, wills, MQTT 5 properties) because the A2A binding is defined in those
 * terms; what it hides is the client library and the socket.
 */

/** MQTT quality of service. The binding uses 1 everywhere by default. */
export type QoS = 0 | 1 | 2;

/**
 * MQTT 5 message properties. On an MQTT 3.1.1 connection they cannot be carried and
 * are dropped; check `capabilities.messageProperties` before relying on them.
 */
export interface MessageProperties {
  /** Topic the receiver should publish its reply to. */
  responseTopic?: string;
  /** Opaque bytes the receiver echoes on its reply. Sent as they are when sent: not to be changed after `publish`. */
  correlationData?: Uint8Array;
  /** Free-form string pairs (service parameters such as `A2A-Version`). */
  userProperties?: Record<string, string>;
  /** Seconds after which the broker discards the message if undelivered. */
  messageExpiryInterval?: number;
  /** MIME type of the payload, e.g. `application/json`. */
  contentType?: string;
  /** Payload Format Indicator: true = UTF-8 text (1), false = unspecified bytes (0). */
  payloadFormatIndicator?: boolean;
}

export interface PublishOptions {
  /** @default 1 */
  qos?: QoS;
  /** @default false */
  retain?: boolean;
  /** MQTT 5 only; dropped on 3.1.1. */
  properties?: MessageProperties;
  /** Aborts waiting for the broker's acknowledgement (the message may still be sent). */
  signal?: AbortSignal;
}

/** The outcome of a publish, as far as the broker told us. */
export interface PublishResult {
  /**
   * MQTT 5 PUBACK reason code for QoS 1 (0 = success, 0x10 = no matching subscribers).
   * Undefined for QoS 0 and on MQTT 3.1.1, which reports no reason.
   */
  reasonCode?: number;
}

/** A message received on a subscription. */
export interface InboundMessage {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  /** True when delivered from the broker's retained store on subscribe. */
  retain: boolean;
  properties: MessageProperties;
}

export type MessageHandler = (message: InboundMessage) => void;

export interface SubscribeOptions {
  /** @default 1 */
  qos?: QoS;
  /** Unsubscribes when aborted. */
  signal?: AbortSignal;
}

export interface StreamOptions extends SubscribeOptions {
  /**
   * Unread messages a stream holds; a reader further behind gets a `TransportError`
   * with code `overflow` and the stream ends.
   * @default 10000
   */
  maxBuffered?: number;
}

/** A live subscription; `unsubscribe()` is idempotent. */
export interface Subscription {
  readonly filter: string;
  unsubscribe(): Promise<void>;
}

/** A subscription consumed as an async iterable; leaving the loop unsubscribes. */
export interface MessageStream extends Subscription, AsyncIterable<InboundMessage> {}

/** The message the broker publishes for us if the connection dies without `close()`. */
export interface WillMessage {
  topic: string;
  payload: Uint8Array | string;
  /** @default 1 */
  qos?: QoS;
  /** @default false */
  retain?: boolean;
  properties?: MessageProperties;
}

/** What the connected broker can do; known once `connect()` has resolved. */
export interface TransportCapabilities {
  /** 4 = MQTT 3.1.1, 5 = MQTT 5. */
  protocolVersion: 4 | 5;
  /** MQTT 5 properties (response topic, correlation data, user properties, expiry). */
  messageProperties: boolean;
  /** `$share/{group}/{filter}` subscriptions. */
  sharedSubscriptions: boolean;
  /** Retained messages. */
  retain: boolean;
  /** Largest packet the broker accepts, when it said so. */
  maximumPacketSize?: number;
}

export type ConnectionState = "idle" | "connecting" | "connected" | "reconnecting" | "closed";

export interface TransportEvents {
  /**
   * The connection is (re)established and subscriptions are restored. Upper layers
   * republish retained presence here: a broker without persistence forgets it.
   */
  connected: { reconnected: boolean; sessionPresent: boolean };
  /** The connection dropped; the transport reconnects by itself unless closed. */
  disconnected: { error?: Error };
  /** A failure nobody awaited (e.g. a reconnect attempt refused). */
  error: Error;
}

export type TransportEventName = keyof TransportEvents;

export interface Transport {
  /** The MQTT client id, stable across reconnects. */
  readonly clientId: string;
  readonly state: ConnectionState;
  /** Throws if read before `connect()` resolved. */
  readonly capabilities: TransportCapabilities;

  /** Opens the connection. Idempotent while connected. */
  connect(options?: { signal?: AbortSignal }): Promise<void>;
  /** Closes the connection cleanly: no will is sent. Idempotent. */
  close(): Promise<void>;

  publish(topic: string, payload: Uint8Array | string, options?: PublishOptions): Promise<PublishResult>;
  /** Subscribes `handler` to `filter`; many local subscriptions share one connection. */
  subscribe(filter: string, handler: MessageHandler, options?: SubscribeOptions): Promise<Subscription>;
  /** Subscribes to `filter` and yields its messages in arrival order. */
  stream(filter: string, options?: StreamOptions): Promise<MessageStream>;

  /** Listens to connection events; returns a function that removes the listener. */
  on<E extends TransportEventName>(event: E, listener: (payload: TransportEvents[E]) => void): () => void;
}
