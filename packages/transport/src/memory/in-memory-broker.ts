import { matchTopic, parseSharedFilter } from "../topics/match-topic.js";
import type { MessageProperties, QoS } from "../transport.js";

/** A message as the broker hands it to one client. */
export interface BrokerDelivery {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  properties: MessageProperties;
  /** MQTT 5 subscription identifiers of the client's filters that matched. */
  subscriptionIds: number[];
}

/** A message a client publishes (or its will). */
export interface BrokerPublish {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  properties?: MessageProperties;
}

export interface BrokerConnectRequest {
  clientId: string;
  /** Start a new session, discarding any stored one. */
  clean: boolean;
  protocolVersion: 4 | 5;
  will?: BrokerPublish;
  deliver(message: BrokerDelivery): void;
  /** The broker dropped the connection (restart, takeover, `dropConnections`). */
  onDrop(reason: Error): void;
}

export interface InMemoryBrokerOptions {
  /**
   * Keep sessions and retained messages across `restart()`, like a broker with
   * persistence enabled.
   * @default true
   */
  persistence?: boolean;
  /**
   * Most messages queued for one offline persistent session; the oldest are dropped
   * beyond it.
   * @default 10000
   */
  maxQueuedPerSession?: number;
}

interface StoredSubscription {
  qos: QoS;
  subscriptionId: number;
}

interface QueuedDelivery {
  delivery: BrokerDelivery;
  at: number;
}

/** @internal A session as the broker stores it. */
export interface Session {
  clientId: string;
  clean: boolean;
  subscriptions: Map<string, StoredSubscription>;
  queue: QueuedDelivery[];
  connection: BrokerConnection | undefined;
}

/** PUBACK reason code "no matching subscribers" (MQTT 5). */
const NO_MATCHING_SUBSCRIBERS = 0x10;

/**
 * An MQTT broker model in process: sessions (clean and persistent, with offline
 * queues), `+`/`#` wildcards (`#` never matching `$` topics), retained messages (an
 * empty payload deletes), wills on abrupt disconnects, `$share/{group}/` subscriptions
 * delivered to one member, per-subscriber ordering, MQTT 5 properties for version 5
 * clients and none for 3.1.1 clients, message expiry on queued and retained messages.
 */
export class InMemoryBroker {
  private readonly sessions = new Map<string, Session>();
  private readonly retained = new Map<string, { message: BrokerPublish; at: number }>();
  private readonly shareCursor = new Map<string, number>();
  private readonly persistence: boolean;
  private readonly maxQueued: number;
  private running = true;

  constructor(options: InMemoryBrokerOptions = {}) {
    this.persistence = options.persistence ?? true;
    this.maxQueued = options.maxQueuedPerSession ?? 10_000;
  }

  /** False between `stop()` and `start()`: connections are refused. */
  get isRunning(): boolean {
    return this.running;
  }

  /** Client ids with a live connection. */
  get connectedClientIds(): string[] {
    return [...this.sessions.values()].filter((s) => s.connection).map((s) => s.clientId);
  }

  /** Opens a connection; throws when the broker is stopped. */
  connect(request: BrokerConnectRequest): { connection: BrokerConnection; sessionPresent: boolean } {
    if (!this.running) throw new Error("Connection refused: the in-memory broker is stopped.");
    let session = this.sessions.get(request.clientId);
    // Session takeover: the old connection goes away as if its socket died.
    session?.connection?.drop(new Error(`Client id ${request.clientId} connected again (session taken over).`));
    if (session && (request.clean || session.clean)) {
      this.sessions.delete(request.clientId);
      session = undefined;
    }
    const sessionPresent = session !== undefined;
    if (!session) {
      session = { clientId: request.clientId, clean: request.clean, subscriptions: new Map(), queue: [], connection: undefined };
      this.sessions.set(request.clientId, session);
    }
    session.clean = request.clean;
    const connection = new BrokerConnection(this, session, request);
    session.connection = connection;
    const queued = session.queue.splice(0);
    for (const { delivery, at } of queued) {
      const fresh = withRemainingExpiry(delivery, at);
      if (fresh) connection.send(fresh);
    }
    return { connection, sessionPresent };
  }

  /** Drops every connection abruptly, as if the network failed: wills are published. */
  dropConnections(): void {
    for (const session of [...this.sessions.values()]) {
      session.connection?.drop(new Error("The in-memory broker dropped the connection."));
    }
  }

  /** Stops accepting connections and drops the live ones without publishing wills. */
  stop(): void {
    this.running = false;
    for (const session of [...this.sessions.values()]) {
      session.connection?.drop(new Error("The in-memory broker stopped."), { publishWill: false });
    }
    if (!this.persistence) {
      this.sessions.clear();
      this.retained.clear();
    }
  }

  start(): void {
    this.running = true;
  }

  /** `stop()` then `start()`: clients reconnect; without persistence they find no session. */
  restart(): void {
    this.stop();
    this.start();
  }

  /** The retained message on `topic`, if any (for tests and diagnostics). */
  retainedMessage(topic: string): BrokerPublish | undefined {
    return this.retained.get(topic)?.message;
  }

  /** @internal Routes a publish; returns the MQTT 5 PUBACK reason code. */
  route(message: BrokerPublish): number {
    if (message.retain) {
      if (message.payload.length === 0) this.retained.delete(message.topic);
      else this.retained.set(message.topic, { message: { ...message }, at: Date.now() });
    }
    let matched = 0;
    const groups = new Map<string, Array<{ session: Session; sub: StoredSubscription }>>();
    for (const session of this.sessions.values()) {
      let qos = -1;
      const ids: number[] = [];
      for (const [filter, sub] of session.subscriptions) {
        if (!matchTopic(filter, message.topic)) continue;
        const shared = parseSharedFilter(filter);
        if (shared) {
          const key = `${shared.group}\u0000${shared.filter}`;
          const members = groups.get(key) ?? [];
          members.push({ session, sub });
          groups.set(key, members);
          continue;
        }
        qos = Math.max(qos, sub.qos);
        ids.push(sub.subscriptionId);
      }
      // Overlapping filters of one client yield one copy, at the highest granted QoS.
      if (qos >= 0) {
        matched++;
        this.deliverTo(session, message, { qos: Math.min(qos, message.qos) as QoS, subscriptionIds: ids });
      }
    }
    for (const [key, members] of groups) {
      matched++;
      const online = members.filter((m) => m.session.connection);
      const pool = online.length > 0 ? online : members.filter((m) => !m.session.clean);
      if (pool.length === 0) continue;
      const cursor = this.shareCursor.get(key) ?? 0;
      this.shareCursor.set(key, cursor + 1);
      const chosen = pool[cursor % pool.length];
      if (chosen) {
        this.deliverTo(chosen.session, message, { qos: Math.min(chosen.sub.qos, message.qos) as QoS, subscriptionIds: [chosen.sub.subscriptionId] });
      }
    }
    return matched > 0 ? 0 : NO_MATCHING_SUBSCRIBERS;
  }

  /** @internal */
  subscribe(session: Session, filter: string, sub: StoredSubscription): void {
    session.subscriptions.set(filter, sub);
    // Shared subscriptions never receive retained messages (MQTT 5 §4.8.2).
    if (parseSharedFilter(filter) || !session.connection) return;
    for (const [topic, { message, at }] of this.retained) {
      if (!matchTopic(filter, topic)) continue;
      const delivery = withRemainingExpiry(
        { ...message, qos: Math.min(sub.qos, message.qos) as QoS, retain: true, properties: message.properties ?? {}, subscriptionIds: [sub.subscriptionId] },
        at,
      );
      if (delivery) session.connection.send(delivery);
      else this.retained.delete(topic);
    }
  }

  /**
   * @internal Called by a connection when it ends. QoS ≥ 1 messages it had not yet
   * handed over go back to a persistent session's queue, as unacknowledged ones would.
   */
  detach(session: Session, connection: BrokerConnection, { undelivered, will }: { undelivered: BrokerDelivery[]; will: BrokerPublish | undefined }): void {
    if (session.connection !== connection) return;
    session.connection = undefined;
    if (session.clean) this.sessions.delete(session.clientId);
    else session.queue.unshift(...undelivered.filter((d) => d.qos > 0).map((delivery) => ({ delivery, at: Date.now() })));
    if (will) this.route(will);
  }

  private deliverTo(session: Session, message: BrokerPublish, { qos, subscriptionIds }: { qos: QoS; subscriptionIds: number[] }): void {
    const delivery: BrokerDelivery = {
      topic: message.topic,
      payload: message.payload,
      qos,
      retain: false,
      properties: message.properties ?? {},
      subscriptionIds,
    };
    if (session.connection) {
      session.connection.send(delivery);
    } else if (!session.clean && qos > 0) {
      session.queue.push({ delivery, at: Date.now() });
      if (session.queue.length > this.maxQueued) session.queue.shift();
    }
  }
}

/** Applies MQTT 5 message expiry: undefined when expired, else the remaining interval. */
function withRemainingExpiry(delivery: BrokerDelivery, at: number): BrokerDelivery | undefined {
  const expiry = delivery.properties.messageExpiryInterval;
  if (expiry === undefined) return delivery;
  const elapsed = Math.floor((Date.now() - at) / 1000);
  if (elapsed >= expiry) return undefined;
  return { ...delivery, properties: { ...delivery.properties, messageExpiryInterval: expiry - elapsed } };
}

/** One client's connection to an `InMemoryBroker`. */
export class BrokerConnection {
  private open = true;
  private readonly outbox: BrokerDelivery[] = [];
  private flushing = false;

  /** @internal */
  constructor(
    private readonly broker: InMemoryBroker,
    private readonly session: Session,
    private readonly request: BrokerConnectRequest,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  publish(message: BrokerPublish): number | undefined {
    this.assertOpen();
    const v5 = this.request.protocolVersion === 5;
    const routed: BrokerPublish = { ...message };
    if (v5 && message.properties) routed.properties = message.properties;
    else delete routed.properties;
    const reasonCode = this.broker.route(routed);
    return v5 && message.qos > 0 ? reasonCode : undefined;
  }

  subscribe(filter: string, qos: QoS, subscriptionId: number): void {
    this.assertOpen();
    this.broker.subscribe(this.session, filter, { qos, subscriptionId });
  }

  unsubscribe(filter: string): void {
    this.assertOpen();
    this.session.subscriptions.delete(filter);
  }

  /** A clean DISCONNECT: no will. */
  disconnect(): void {
    if (!this.open) return;
    this.open = false;
    this.broker.detach(this.session, this, { undelivered: this.outbox.splice(0), will: undefined });
  }

  /** @internal An abrupt end: the will is published unless told otherwise. */
  drop(reason: Error, options: { publishWill?: boolean } = {}): void {
    if (!this.open) return;
    this.open = false;
    const will = options.publishWill === false ? undefined : this.request.will;
    this.broker.detach(this.session, this, { undelivered: this.outbox.splice(0), will });
    this.request.onDrop(reason);
  }

  /** @internal Delivers asynchronously, in order, like a socket would. */
  send(delivery: BrokerDelivery): void {
    const v5 = this.request.protocolVersion === 5;
    this.outbox.push(v5 ? delivery : { ...delivery, properties: {}, subscriptionIds: [] });
    if (this.flushing) return;
    this.flushing = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushing = false;
    // One at a time: a handler may drop the connection, and what is left must stay
    // in the outbox to be requeued for a persistent session.
    let delivery: BrokerDelivery | undefined;
    while (this.open && (delivery = this.outbox.shift())) this.request.deliver(delivery);
  }

  private assertOpen(): void {
    if (!this.open) throw new Error("The in-memory connection is closed.");
  }
}
