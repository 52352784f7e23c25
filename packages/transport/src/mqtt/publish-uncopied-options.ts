/**
 * QoS 1 publishes handed to mqtt.js's bookkeeping without its copy of their options.
 *
 * mqtt.js's `publish` merges the options into its defaults (`{ ...defaults, ...opts }`);
 * options with a member the defaults lack (`properties`, on every MQTT 5 message of ours)
 * take V8's slow path there, about a microsecond per message, and leave an object whose
 * reads are slow too. A QoS 1 publish that can go out at once is what mqtt.js's own
 * `publishProc` makes of it: a message id, the entry awaiting its PUBACK, the packet
 * sent. Anything else (another QoS, a client disconnecting or replaying its store, no
 * message id free) takes mqtt.js's `publish` as before.
 */
interface PublishOptionsLike {
  qos?: unknown;
  retain?: boolean;
  dup?: boolean;
  properties?: unknown;
  cbStorePut?: unknown;
}

type PublishCallback = (error?: Error, packet?: unknown) => void;
type PublishArgs = [topic: string, message: unknown, opts?: unknown, callback?: unknown];

interface PublishingClient {
  disconnecting: boolean;
  _storeProcessing: boolean;
  _storeProcessingQueue: unknown[];
  options: { protocolVersion?: number };
  outgoing: Record<number, { volatile: boolean; cmd: string; cb: PublishCallback }>;
  _nextId(): number | null;
  _sendPacket(packet: object, cb?: unknown, cbStorePut?: unknown): void;
  publish: (this: unknown, ...args: PublishArgs) => unknown;
}

/** Has an mqtt.js client publish QoS 1 messages without copying their options. */
export function publishWithoutOptionCopies(client: unknown): void {
  const c = client as Partial<PublishingClient>;
  // A later mqtt.js without these private members keeps its own publishing.
  if (typeof c._nextId !== "function" || typeof c._sendPacket !== "function" || typeof c.publish !== "function") return;
  if (!Array.isArray(c._storeProcessingQueue) || typeof c.outgoing !== "object" || c.outgoing === null || typeof c.options !== "object") return;
  const publishing = c as PublishingClient;
  const original = publishing.publish;
  publishing.publish = function publishQos1(this: unknown, ...args: PublishArgs): unknown {
    const [topic, message, opts, callback] = args;
    const o = opts as PublishOptionsLike | null | undefined;
    if (
      typeof o !== "object" ||
      o === null ||
      o.qos !== 1 ||
      o.dup === true ||
      o.cbStorePut !== undefined ||
      typeof callback !== "function" ||
      publishing.disconnecting ||
      publishing._storeProcessing ||
      publishing._storeProcessingQueue.length > 0
    ) {
      return original.apply(this, args);
    }
    const messageId = publishing._nextId();
    // No id free: mqtt.js queues the message until one is.
    if (messageId === null) return original.apply(this, args);
    const packet: Record<string, unknown> = { cmd: "publish", topic, payload: message, qos: 1, retain: o.retain ?? false, messageId, dup: false };
    if (publishing.options.protocolVersion === 5) packet.properties = o.properties;
    publishing.outgoing[messageId] = { volatile: false, cmd: "publish", cb: callback as PublishCallback };
    publishing._sendPacket(packet, undefined, undefined);
    return this;
  };
}
