import type { Logger } from "../logger.js";
import type { WillMessage } from "../transport.js";

export interface MqttTlsOptions {
  /** Trusted CA certificates (PEM), for a broker with a private CA. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Client certificate (PEM), for brokers that authenticate clients by certificate. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** @default true */
  rejectUnauthorized?: boolean;
}

export interface ReconnectOptions {
  /** Delay before the first reconnect attempt. @default 100 */
  initialDelayMs?: number;
  /** Longest delay between attempts. @default 10000 */
  maxDelayMs?: number;
  /** Growth of the delay per failed attempt. @default 2 */
  factor?: number;
}

export interface MqttTransportOptions {
  /** `mqtt://`, `mqtts://`, `ws://` or `wss://` URL of the broker. */
  url: string;
  /**
   * Further nodes of the same broker cluster, tried in turn after `url` when connecting
   * and whenever the connection is lost (one persistent session, found on any node).
   * Same scheme as `url`; WebSocket paths other than `/` are not supported here.
   * @default [] (only `url`)
   */
  failoverUrls?: readonly string[];
  /**
   * MQTT client id. A persistent session is found again by this id, so give a stable
   * one to resume the session after a process restart.
   * @default "a2a-" followed by a random id (stable for this transport's lifetime)
   */
  clientId?: string;
  username?: string;
  password?: string;
  /**
   * 4 = MQTT 3.1.1, 5 = MQTT 5; "auto" tries 5 and falls back to 3.1.1 when the
   * broker refuses the protocol version (e.g. aedes).
   * @default "auto"
   */
  protocolVersion?: 4 | 5 | "auto";
  /**
   * Start a new session on every connect. The default, a persistent session, keeps
   * subscriptions and queued QoS ≥ 1 messages while the client is offline.
   * @default false
   */
  clean?: boolean;
  /**
   * MQTT 5: how long the broker keeps a persistent session after a disconnect.
   * @default 86400 (one day) for persistent sessions, 0 for clean ones
   */
  sessionExpirySeconds?: number;
  /** @default 30 */
  keepaliveSeconds?: number;
  /** Published by the broker if the connection dies without `close()`. */
  will?: WillMessage;
  /** Receives failures nobody listens for (a throwing event listener or handler). @default warn-level lines on stderr */
  logger?: Logger;
  /** TLS options for `mqtts://` and `wss://`. */
  tls?: MqttTlsOptions;
  /** Exponential backoff (with ±20 % jitter) between reconnect attempts. */
  reconnect?: ReconnectOptions;
  /** How long `connect()` waits for CONNACK. @default 10000 */
  connectTimeoutMs?: number;
  /**
   * Packets written while the callbacks of one batch of I/O events (or one timer) run
   * with their ticks and promise turns (the PUBACKs of incoming messages and the
   * replies made from them) leave in one socket write, released by `setImmediate`,
   * instead of one write per tick. The first message of such a batch leaves at once,
   * with the acknowledgements written before it behind it. No timer is involved and
   * nothing waits for new I/O.
   * TCP and TLS connections only.
   * @default true
   */
  coalesceWrites?: boolean;
  /** How long `close()` waits for in-flight messages before dropping them. @default 2000 */
  closeTimeoutMs?: number;
}
