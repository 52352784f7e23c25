import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import mqtt, { type IClientOptions, type IConnackPacket, type IPublishPacket, type MqttClient } from "mqtt";
import { TransportError } from "../errors.js";
import { type OutboundMessage, TransportBase, toBytes } from "../internal/transport-base.js";
import type { PublishResult, QoS, TransportCapabilities } from "../transport.js";
import type { MqttTransportOptions } from "./options.js";
import { coalesceWrites } from "./coalesce-writes.js";
import { publishWithoutOptionCopies } from "./publish-uncopied-options.js";
import { readPacketsDecoded } from "./decode-packet.js";
import { writePacketsEncoded } from "./encode-packet.js";
import { storePublishesUncopied } from "./store-uncopied.js";
import { fromMqttProperties, toMqttProperties } from "./properties.js";
import { tlsHint } from "./tls-hint.js";

const noLog = (): void => undefined;

/** CONNACK codes meaning "I do not speak this protocol version" (3.1.1 and MQTT 5). */
const UNSUPPORTED_PROTOCOL = new Set([1, 0x84]);

function connectFailure(url: string, error: unknown): string {
  const hint = tlsHint(error);
  // OpenSSL's messages end in a newline.
  return `Could not connect to ${url}: ${(error as Error).message.trim()}${hint ? ` (${hint})` : ""}`;
}

function reasonCodeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "number" ? code : undefined;
}

/**
 * A `Transport` over mqtt.js 5: MQTT 3.1.1 and 5 behind one API, one connection
 * shared by every local subscription, TCP_NODELAY on every socket (reconnects
 * included), reconnects with exponential backoff, subscriptions restored when the
 * broker lost the session, PUBACK reason codes on MQTT 5.
 *
 * @example
 * const transport = new MqttTransport({ url: "mqtt://localhost:1883", clientId: "echo-agent" });
 * await transport.connect();
 * await transport.subscribe("my-org/echo/tasks", (m) => console.log(m.topic));
 */
export class MqttTransport extends TransportBase<Buffer | string> {
  readonly clientId: string;
  private readonly options: MqttTransportOptions;
  private client: MqttClient | undefined;
  private protocolVersion: 4 | 5 = 5;
  private subscriptionIds = false;
  private attempt = 0;
  private everConnected = false;
  /** PUBACK reason codes seen on `packetreceive`, until the publish callback takes them. */
  private readonly pubackCodes = new Map<number, number>();

  constructor(options: MqttTransportOptions) {
    super();
    if (options.logger !== undefined) this.logger = options.logger;
    this.options = options;
    this.clientId = options.clientId ?? `a2a-${randomUUID()}`;
  }

  async connect(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.currentState === "connected" || this.currentState === "reconnecting") return;
    if (this.currentState === "closed") throw new TransportError("CLOSED", "This transport was closed; create a new one.");
    this.currentState = "connecting";
    const wanted = this.options.protocolVersion ?? "auto";
    const nodes = 1 + (this.options.failoverUrls?.length ?? 0);
    for (let first = 0; ; first++) {
      try {
        try {
          await this.open(wanted === 4 ? 4 : 5, options.signal, first);
        } catch (error) {
          const refused = reasonCodeOf((error as Error).cause);
          if (wanted !== "auto" || refused === undefined || !UNSUPPORTED_PROTOCOL.has(refused)) throw error;
          await this.open(4, options.signal, first);
        }
        return;
      } catch (error) {
        // An unreachable node: try the next one of the cluster; a refusal is final.
        const unreachable = reasonCodeOf((error as Error).cause) === undefined && (error as TransportError).code === "CONNECT_FAILED";
        if (first + 1 < nodes && unreachable && !options.signal?.aborted) continue;
        this.currentState = "idle";
        throw error;
      }
    }
  }

  async close(): Promise<void> {
    if (this.currentState === "closed") return;
    this.currentState = "closed";
    const client = this.client;
    if (!client) return;
    // See open(): no reconnect may be scheduled by the socket's close after end().
    client.options.reconnectPeriod = 0;
    const timeout = this.options.closeTimeoutMs ?? 2_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      client.endAsync(false),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeout);
      }),
    ]).catch(() => undefined);
    clearTimeout(timer);
    // Whatever is still in flight after the grace period is dropped.
    if (!client.disconnected) await client.endAsync(true).catch(() => undefined);
  }

  /**
   * Destroys the socket as a crash or network failure would: the broker publishes the
   * will, and the transport reconnects by itself. For tests of failure handling.
   */
  simulateConnectionLoss(): void {
    this.client?.stream?.destroy();
  }

  /**
   * Text as it is: mqtt-packet encodes it straight into the packet, and mqtt.js's copy of
   * the packet (kept until the PUBACK) shares the string instead of copying bytes again.
   * Bytes are copied once, as mqtt.js may write a queued packet after the caller changed them.
   */
  protected encodePayload(payload: Uint8Array | string): Buffer | string {
    return typeof payload === "string" ? payload : Buffer.from(payload);
  }

  protected sendPublish(message: OutboundMessage<Buffer | string>): Promise<PublishResult> {
    const client = this.client;
    if (!client) return Promise.reject(new TransportError("NOT_CONNECTED", "The transport has no connection; call connect() first."));
    const options: mqtt.IClientPublishOptions = { qos: message.qos, retain: message.retain };
    if (this.protocolVersion === 5 && message.properties) options.properties = toMqttProperties(message.properties);
    return new Promise<PublishResult>((resolve, reject) => {
      client.publish(message.topic, message.payload, options, (error, packet) => {
        const messageId = this.protocolVersion === 5 ? (packet as { messageId?: number } | undefined)?.messageId : undefined;
        const reasonCode = messageId === undefined ? undefined : this.pubackCodes.get(messageId);
        if (messageId !== undefined) this.pubackCodes.delete(messageId);
        if (error) {
          reject(new TransportError("PUBLISH_FAILED", `Publishing to ${message.topic} failed: ${error.message}`, { cause: error }));
        } else if (this.protocolVersion === 5 && message.qos > 0) {
          resolve({ reasonCode: reasonCode ?? 0 });
        } else {
          resolve({});
        }
      });
    });
  }

  protected async sendSubscribe(filter: string, qos: QoS, subscriptionId: number): Promise<void> {
    const client = this.requireClient();
    const options: mqtt.IClientSubscribeOptions = { qos };
    if (this.subscriptionIds) options.properties = { subscriptionIdentifier: subscriptionId };
    const granted = await client.subscribeAsync(filter, options);
    const refused = granted.find((g) => g.qos >= 0x80);
    if (refused) {
      throw new TransportError("SUBSCRIBE_FAILED", `The broker refused the subscription to ${filter} (reason ${refused.qos}).`);
    }
  }

  protected async sendUnsubscribe(filter: string): Promise<void> {
    await this.requireClient().unsubscribeAsync(filter);
  }

  private requireClient(): MqttClient {
    if (!this.client) throw new TransportError("NOT_CONNECTED", "The transport has no connection; call connect() first.");
    return this.client;
  }

  private clientOptions(protocolVersion: 4 | 5, firstNode = 0): IClientOptions {
    const o = this.options;
    const clean = o.clean ?? false;
    const options: IClientOptions = {
      clientId: this.clientId,
      protocolVersion,
      clean,
      keepalive: o.keepaliveSeconds ?? 30,
      connectTimeout: o.connectTimeoutMs ?? 10_000,
      reconnectPeriod: o.reconnect?.initialDelayMs ?? 100,
      // Subscriptions are restored here, after CONNACK, only when the session was lost.
      resubscribe: false,
      manualConnect: true,
      queueQoSZero: true,
      // By default mqtt.js clears and sets its keepalive timer again on every PUBACK it
      // receives; without that, a busy connection sends a PINGREQ once per keepalive.
      reschedulePings: false,
    };
    if (o.failoverUrls?.length) options.servers = failoverServers([o.url, ...o.failoverUrls], firstNode);
    // mqtt.js logs a dozen lines per packet through `debug`; even switched off, that
    // costs microseconds per message. Left on when DEBUG is set, to keep `DEBUG=mqttjs*`.
    if (process.env.DEBUG === undefined || process.env.DEBUG === "") options.log = noLog;
    if (o.username !== undefined) options.username = o.username;
    if (o.password !== undefined) options.password = o.password;
    if (o.tls) Object.assign(options, o.tls);
    if (protocolVersion === 5) {
      options.properties = { sessionExpiryInterval: o.sessionExpirySeconds ?? (clean ? 0 : 86_400) };
    }
    if (o.will) {
      const will = o.will;
      options.will = {
        topic: will.topic,
        payload: Buffer.from(toBytes(will.payload)),
        qos: will.qos ?? 1,
        retain: will.retain ?? false,
      };
      if (protocolVersion === 5 && will.properties) options.will.properties = toMqttProperties(will.properties);
    }
    return options;
  }

  /** One connection attempt at one protocol version; resolves on CONNACK success. */
  private open(protocolVersion: 4 | 5, signal?: AbortSignal, firstNode = 0): Promise<void> {
    if (signal?.aborted) return Promise.reject(new TransportError("ABORTED", "connect() was aborted.", { cause: signal.reason }));
    const client = mqtt.connect(this.options.url, this.clientOptions(protocolVersion, firstNode));
    writePacketsEncoded(client);
    readPacketsDecoded(client);
    storePublishesUncopied(client);
    publishWithoutOptionCopies(client);
    // Every socket, including those of reconnects, gets TCP_NODELAY before its first
    // write (ws sockets get it from the ws library), and its writes coalesced per callback.
    // mqtt.js offers no public hook on stream creation; its builder is wrapped instead.
    const internals = client as unknown as { streamBuilder: (c: MqttClient) => Partial<Socket> };
    const build = internals.streamBuilder;
    const coalesce = this.options.coalesceWrites ?? true;
    internals.streamBuilder = (c) => {
      const stream = build(c);
      stream.setNoDelay?.(true);
      if (coalesce) coalesceWrites(stream);
      return stream;
    };

    return new Promise<void>((resolve, reject) => {
      const fail = (error: unknown) => {
        cleanup();
        // With manualConnect, mqtt.js re-arms its reconnect timer when the socket's
        // close follows end(); a zero period keeps a failed attempt from retrying forever
        // (and from holding the process open).
        client.options.reconnectPeriod = 0;
        client.end(true);
        reject(
          error instanceof TransportError
            ? error
            : new TransportError("CONNECT_FAILED", connectFailure(this.options.url, error), { cause: error }),
        );
      };
      const onError = (error: Error) => fail(error);
      const onClose = () => fail(new Error("the connection closed before the broker accepted it"));
      const onAbort = () => fail(new TransportError("ABORTED", "connect() was aborted.", { cause: signal?.reason }));
      const onConnect = (connack: IConnackPacket) => {
        cleanup();
        this.adopt(client, protocolVersion, connack);
        resolve();
      };
      const cleanup = () => {
        client.off("error", onError);
        client.off("close", onClose);
        client.off("connect", onConnect);
        signal?.removeEventListener("abort", onAbort);
      };
      client.on("error", onError);
      client.on("close", onClose);
      client.once("connect", onConnect);
      signal?.addEventListener("abort", onAbort, { once: true });
      client.connect();
    });
  }

  /** Takes over a client whose first CONNACK succeeded. */
  private adopt(client: MqttClient, protocolVersion: 4 | 5, connack: IConnackPacket): void {
    this.client = client;
    this.protocolVersion = protocolVersion;
    this.applyConnack(connack);
    this.everConnected = true;
    this.currentState = "connected";

    // Only MQTT 5 PUBACKs carry a reason code.
    if (protocolVersion === 5) {
      client.on("packetreceive", (packet) => {
        if (packet.cmd === "puback" && packet.messageId !== undefined) {
          this.pubackCodes.set(packet.messageId, packet.reasonCode ?? 0);
        }
      });
    }
    client.on("message", (topic, payload, packet: IPublishPacket) => {
      const { properties, subscriptionIds } = fromMqttProperties(packet);
      this.dispatch(
        { topic, payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength), qos: packet.qos, retain: packet.retain, properties },
        subscriptionIds,
      );
    });
    client.on("connect", (ack) => void this.reconnected(ack));
    client.on("close", () => {
      if (this.currentState === "closed") return;
      // mqtt.js has already scheduled the next attempt; this sets the one after it.
      client.options.reconnectPeriod = this.nextDelay();
      if (this.currentState !== "connected") return;
      this.currentState = "reconnecting";
      this.events.emit("disconnected", {});
    });
    client.on("error", (error) => {
      const hint = tlsHint(error);
      this.events.emit("error", new TransportError("CONNECT_FAILED", `MQTT connection to ${this.options.url}: ${error.message.trim()}${hint ? ` (${hint})` : ""}`, { cause: error }));
    });
    this.events.emit("connected", { reconnected: false, sessionPresent: connack.sessionPresent });
  }

  private async reconnected(connack: IConnackPacket): Promise<void> {
    if (this.currentState === "closed") return;
    this.applyConnack(connack);
    this.attempt = 0;
    if (this.client) this.client.options.reconnectPeriod = this.options.reconnect?.initialDelayMs ?? 100;
    if (!connack.sessionPresent) {
      try {
        await this.restoreSubscriptions();
      } catch (error) {
        this.events.emit("error", new TransportError("SUBSCRIBE_FAILED", "Restoring subscriptions after a reconnect failed.", { cause: error }));
      }
    }
    this.currentState = "connected";
    this.events.emit("connected", { reconnected: this.everConnected, sessionPresent: connack.sessionPresent });
  }

  private applyConnack(connack: IConnackPacket): void {
    const p = connack.properties;
    const v5 = this.protocolVersion === 5;
    const capabilities: TransportCapabilities = {
      protocolVersion: this.protocolVersion,
      messageProperties: v5,
      // MQTT 5 brokers announce these in CONNACK (absent = available); 3.1.1 cannot tell.
      sharedSubscriptions: v5 && p?.sharedSubscriptionAvailable !== false,
      retain: p?.retainAvailable !== false,
    };
    if (p?.maximumPacketSize !== undefined) capabilities.maximumPacketSize = p.maximumPacketSize;
    this.currentCapabilities = capabilities;
    this.subscriptionIds = v5 && p?.subscriptionIdentifiersAvailable !== false;
  }

  private nextDelay(): number {
    const r = this.options.reconnect ?? {};
    const base = Math.min((r.initialDelayMs ?? 100) * (r.factor ?? 2) ** this.attempt, r.maxDelayMs ?? 10_000);
    this.attempt++;
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }
}

/**
 * mqtt.js `servers`: it builds each new connection, the first and every reconnect, to
 * the next entry in turn. Starts at `first`, so the first connection goes there.
 */
interface FailoverServer {
  host: string;
  port: number;
  protocol: "mqtt" | "mqtts" | "ws" | "wss";
}

function failoverServers(urls: readonly string[], first: number): FailoverServer[] {
  const servers = urls.map((url): FailoverServer => {
    const parsed = new URL(url);
    const protocol = parsed.protocol.slice(0, -1);
    if (protocol !== "mqtt" && protocol !== "mqtts" && protocol !== "ws" && protocol !== "wss") {
      throw new TransportError("CONNECT_FAILED", `Unsupported broker URL ${url}: use mqtt://, mqtts://, ws:// or wss://.`);
    }
    const defaultPort = { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443 }[protocol];
    return { host: parsed.hostname, port: parsed.port === "" ? defaultPort : Number(parsed.port), protocol };
  });
  return [...servers.slice(first), ...servers.slice(0, first)];
}
