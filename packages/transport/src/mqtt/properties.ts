import type { IClientPublishOptions, IPublishPacket } from "mqtt";
import type { MessageProperties } from "../transport.js";

type PublishProperties = NonNullable<IClientPublishOptions["properties"]>;

/** Our MQTT 5 properties → mqtt.js publish properties. */
export function toMqttProperties(properties: MessageProperties): PublishProperties {
  const out: PublishProperties = {};
  if (properties.responseTopic !== undefined) out.responseTopic = properties.responseTopic;
  // A Buffer over the same bytes, not a copy (mqtt.js copies the packet it keeps).
  const correlation = properties.correlationData;
  if (correlation !== undefined) {
    out.correlationData = Buffer.isBuffer(correlation) ? correlation : Buffer.from(correlation.buffer, correlation.byteOffset, correlation.byteLength);
  }
  // mqtt-packet 9 never returns from encoding an empty user property map (the event loop hangs).
  if (properties.userProperties !== undefined && Object.keys(properties.userProperties).length > 0) out.userProperties = properties.userProperties;
  if (properties.messageExpiryInterval !== undefined) out.messageExpiryInterval = properties.messageExpiryInterval;
  if (properties.contentType !== undefined) out.contentType = properties.contentType;
  if (properties.payloadFormatIndicator !== undefined) out.payloadFormatIndicator = properties.payloadFormatIndicator;
  return out;
}

const NO_IDS: readonly number[] = Object.freeze([]);

/** mqtt.js packet properties → ours, plus the subscription identifiers it carried. */
export function fromMqttProperties(packet: IPublishPacket): {
  properties: MessageProperties;
  subscriptionIds: readonly number[];
} {
  const p = packet.properties;
  const properties: MessageProperties = {};
  if (!p) return { properties, subscriptionIds: NO_IDS };
  if (p.responseTopic !== undefined) properties.responseTopic = p.responseTopic;
  if (p.correlationData !== undefined) properties.correlationData = new Uint8Array(p.correlationData);
  if (p.messageExpiryInterval !== undefined) properties.messageExpiryInterval = p.messageExpiryInterval;
  if (p.contentType !== undefined) properties.contentType = p.contentType;
  if (p.payloadFormatIndicator !== undefined) properties.payloadFormatIndicator = p.payloadFormatIndicator;
  if (p.userProperties !== undefined) {
    properties.userProperties = joinUserProperties(p.userProperties);
  }
  const ids = p.subscriptionIdentifier;
  const subscriptionIds = ids === undefined ? NO_IDS : Array.isArray(ids) ? ids : [ids];
  return { properties, subscriptionIds };
}

/**
 * MQTT 5 lets a user property repeat, and mqtt.js hands a repeated name over as an
 * array. The contract has one string per name: every value counts, joined as a list
 * (`a,b`, like repeated HTTP headers). Names stay as sent (MQTT compares them exactly;
 * the binding matches service parameter names case-insensitively).
 */
export function joinUserProperties(source: Record<string, string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  // for...in rather than Object.entries: no array per property (mqtt-packet's map has no prototype).
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const value = source[key];
    if (typeof value === "string") out[key] = value;
    else if (Array.isArray(value)) {
      const values = value.filter((v): v is string => typeof v === "string");
      if (values.length > 0) out[key] = values.join(",");
    }
  }
  return out;
}
