/**
 * QoS 1 and 2 PUBLISH packets with text payloads kept in mqtt.js's outgoing store as they
 * are, not as a deep copy.
 *
 * mqtt.js copies every such packet (payload, properties, correlation data) before storing
 * it, so that the stored one keeps its topic when a topic alias replaces the topic of the
 * one written. Our packets use no topic alias and a text payload cannot change, so the
 * copy would be the same packet; packets with an alias or a binary payload (which its
 * owner could change before the PUBACK) are still copied by mqtt.js.
 */
interface PublishLike {
  cmd?: string;
  topic?: unknown;
  payload?: unknown;
  properties?: { topicAlias?: unknown };
}

interface StoringClient {
  _storeAndSend(packet: PublishLike, cb?: (error?: Error) => void, cbStorePut?: () => void): void;
  _writePacket(packet: PublishLike, cb?: (error?: Error) => void): void;
  outgoingStore: { put(packet: PublishLike, cb: (error?: Error) => void): unknown };
  noop: () => void;
}

const storedAsIs = (packet: PublishLike): boolean =>
  packet.cmd === "publish" && typeof packet.payload === "string" && typeof packet.topic === "string" && packet.topic.length > 0 && packet.properties?.topicAlias === undefined;

/** Has an mqtt.js client store its text PUBLISH packets without copying them. */
export function storePublishesUncopied(client: unknown): void {
  const c = client as Partial<StoringClient>;
  // A later mqtt.js without these private members keeps its own storing.
  if (typeof c._storeAndSend !== "function" || typeof c._writePacket !== "function" || typeof c.outgoingStore?.put !== "function") return;
  const storing = c as StoringClient;
  const original = storing._storeAndSend.bind(storing);
  storing._storeAndSend = (packet, cb, cbStorePut) => {
    if (!storedAsIs(packet)) return original(packet, cb, cbStorePut);
    // What mqtt.js does after its copy: store, tell the caller it is stored, write.
    storing.outgoingStore.put(packet, (error) => {
      if (error) return cb?.(error);
      (cbStorePut ?? storing.noop)();
      storing._writePacket(packet, cb);
    });
  };
}
