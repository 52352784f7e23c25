import { randomUUID } from "node:crypto";
import { TransportError } from "../errors.js";
import { type OutboundMessage, TransportBase, toBytes } from "../internal/transport-base.js";
import type { PublishResult, QoS, WillMessage } from "../transport.js";
import { type BrokerConnection, type BrokerDelivery, type BrokerPublish, InMemoryBroker } from "./in-memory-broker.js";

export interface InMemoryTransportOptions {
  /** The broker to connect to; share one between transports that talk to each other. @default a new private broker */
  broker?: InMemoryBroker;
  /** @default "mem-" followed by a random id */
  clientId?: string;
  /** Published by the broker when the connection is lost without `close()`. */
  will?: WillMessage;
  /**
   * Start a new session on every connect. A persistent session (the default) keeps
   * subscriptions and queues QoS ≥ 1 messages while offline.
   * @default false
   */
  clean?: boolean;
  /** Alias of `clean`. */
  cleanSession?: boolean;
  /**
   * 5 passes MQTT 5 properties through; 4 drops them, like an MQTT 3.1.1 broker.
   * @default 5
   */
  protocolVersion?: 4 | 5;
  /** Reconnect by itself after the connection is lost. @default true */
  reconnect?: boolean;
}

const RECONNECT_MIN_MS = 5;
const RECONNECT_MAX_MS = 500;

function willToPublish(will: WillMessage): BrokerPublish {
  const message: BrokerPublish = {
    topic: will.topic,
    payload: toBytes(will.payload),
    qos: will.qos ?? 1,
    retain: will.retain ?? false,
  };
  if (will.properties) message.properties = will.properties;
  return message;
}

/**
 * A `Transport` over an `InMemoryBroker`, for unit tests: the same semantics as
 * `MqttTransport` (sessions, wills, reconnects, multiplexed subscriptions) without
 * sockets. Publishes and subscribes made while reconnecting wait for the connection.
 */
export class InMemoryTransport extends TransportBase {
  readonly clientId: string;
  readonly broker: InMemoryBroker;
  private readonly will: WillMessage | undefined;
  private readonly clean: boolean;
  private readonly protocolVersion: 4 | 5;
  private readonly reconnect: boolean;
  private connection: BrokerConnection | undefined;
  private pending: Array<() => void> = [];
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectDelay = RECONNECT_MIN_MS;

  constructor(options: InMemoryTransportOptions = {}) {
    super();
    this.broker = options.broker ?? new InMemoryBroker();
    this.clientId = options.clientId ?? `mem-${randomUUID()}`;
    this.will = options.will;
    this.clean = options.clean ?? options.cleanSession ?? false;
    this.protocolVersion = options.protocolVersion ?? 5;
    this.reconnect = options.reconnect ?? true;
  }

  /** Two transports on one new broker, for a test's two sides. Not yet connected. */
  static createLinkedPair(
    options: Omit<InMemoryTransportOptions, "broker" | "clientId"> = {},
  ): [InMemoryTransport, InMemoryTransport] {
    const broker = new InMemoryBroker();
    return [new InMemoryTransport({ ...options, broker }), new InMemoryTransport({ ...options, broker })];
  }

  async connect(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.currentState === "connected" || this.currentState === "reconnecting") return;
    if (this.currentState === "closed") throw new TransportError("CLOSED", "This transport was closed; create a new one.");
    if (options.signal?.aborted) throw new TransportError("ABORTED", "connect() was aborted.", { cause: options.signal.reason });
    this.currentState = "connecting";
    try {
      this.open(false);
    } catch (error) {
      this.currentState = "idle";
      throw new TransportError("CONNECT_FAILED", `Could not connect ${this.clientId} to the in-memory broker.`, { cause: error });
    }
  }

  async close(): Promise<void> {
    if (this.currentState === "closed") return;
    this.currentState = "closed";
    clearTimeout(this.reconnectTimer);
    this.connection?.disconnect();
    this.connection = undefined;
    const pending = this.pending.splice(0);
    for (const run of pending) run();
  }

  /**
   * Kills the connection as a dying process or network would: the broker publishes
   * the will. The transport then reconnects by itself (unless `reconnect: false`).
   */
  simulateConnectionLoss(): void {
    this.connection?.drop(new Error("Simulated connection loss."));
  }

  protected encodePayload(payload: Uint8Array | string): Uint8Array {
    return toBytes(payload);
  }

  protected sendPublish(message: OutboundMessage): Promise<PublishResult> {
    return this.whenConnected((connection) => {
      const reasonCode = connection.publish(message);
      return reasonCode === undefined ? {} : { reasonCode };
    });
  }

  protected sendSubscribe(filter: string, qos: QoS, subscriptionId: number): Promise<void> {
    return this.whenConnected((connection) => connection.subscribe(filter, qos, subscriptionId));
  }

  protected sendUnsubscribe(filter: string): Promise<void> {
    return this.whenConnected((connection) => connection.unsubscribe(filter));
  }

  /** Runs `action` now, or once reconnected; fails if the transport closes first. */
  private whenConnected<T>(action: (connection: BrokerConnection) => T): Promise<T> {
    const run = (): T => {
      if (!this.connection?.isOpen) throw new TransportError("CLOSED", "The transport closed before the operation completed.");
      return action(this.connection);
    };
    if (this.currentState === "connected" && this.connection?.isOpen) return Promise.resolve().then(run);
    return new Promise<T>((resolve, reject) => {
      this.pending.push(() => {
        try {
          resolve(run());
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  private open(reconnected: boolean): void {
    const request = {
      clientId: this.clientId,
      clean: this.clean,
      protocolVersion: this.protocolVersion,
      deliver: (delivery: BrokerDelivery) =>
        this.dispatch(
          {
            topic: delivery.topic,
            payload: delivery.payload,
            qos: delivery.qos,
            retain: delivery.retain,
            properties: delivery.properties,
          },
          delivery.subscriptionIds,
        ),
      onDrop: (reason: Error) => this.lost(reason),
    };
    const { connection, sessionPresent } = this.broker.connect(
      this.will ? { ...request, will: willToPublish(this.will) } : request,
    );
    this.connection = connection;
    this.currentCapabilities = {
      protocolVersion: this.protocolVersion,
      messageProperties: this.protocolVersion === 5,
      sharedSubscriptions: this.protocolVersion === 5,
      retain: true,
    };
    this.reconnectDelay = RECONNECT_MIN_MS;
    if (!sessionPresent && reconnected) {
      for (const f of this.router.brokerFilters()) connection.subscribe(f.filter, f.qos, f.subscriptionId);
    }
    this.currentState = "connected";
    for (const run of this.pending.splice(0)) run();
    this.events.emit("connected", { reconnected, sessionPresent });
  }

  private lost(reason: Error): void {
    this.connection = undefined;
    if (this.currentState === "closed") return;
    this.currentState = "reconnecting";
    this.events.emit("disconnected", { error: reason });
    if (this.reconnect) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.reconnectTimer = setTimeout(() => {
      if (this.currentState !== "reconnecting") return;
      try {
        this.open(true);
      } catch (error) {
        this.events.emit("error", new TransportError("CONNECT_FAILED", "Reconnecting to the in-memory broker failed; retrying.", { cause: error }));
        this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
        this.scheduleReconnect();
      }
    }, this.reconnectDelay);
  }
}
