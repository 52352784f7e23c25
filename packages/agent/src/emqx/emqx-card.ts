import type { AgentCard } from "@a2a/schema";
import type { WillMessage } from "@a2a/transport";
import {
  EMQX_A2A_VERSION,
  EMQX_PROTOCOL_BINDING,
  EMQX_STATUS_PROPERTY,
  EMQX_STATUS_SOURCE_PROPERTY,
  encodePresence,
  type EmqxStatusSource,
  type PresenceStatus,
} from "@a2a/transport/binding";

/**
 * The card with the profile's entry in `supportedInterfaces` (after this project's
 * entries): the same card serves both schemes, and a client that finds it by any means
 * can pick either.
 */
export function withEmqxInterface(card: AgentCard, url: string): AgentCard {
  const others = card.supportedInterfaces.filter((i) => !(i.protocolBinding === EMQX_PROTOCOL_BINDING && i.url === url));
  return { ...card, supportedInterfaces: [...others, { url, protocolBinding: EMQX_PROTOCOL_BINDING, protocolVersion: EMQX_A2A_VERSION }] };
}

/**
 * A card publication on the profile's discovery topic: retained, QoS 1, with
 * `a2a-status` and `a2a-status-source` (`agent` when published, `lwt` for the will).
 * The payload is the same card as on this project's discovery topic, presence
 * extension included.
 */
export function emqxCardMessage(options: {
  topic: string;
  card: AgentCard;
  status: PresenceStatus;
  source: Exclude<EmqxStatusSource, "broker">;
  extra?: Record<string, string> | undefined;
}): Required<WillMessage> {
  const { topic, card, status } = options;
  const message = encodePresence({ topic, card, status, will: options.source === "lwt" });
  message.properties.userProperties = {
    ...options.extra,
    ...message.properties.userProperties,
    [EMQX_STATUS_PROPERTY]: status,
    [EMQX_STATUS_SOURCE_PROPERTY]: options.source,
  };
  return message;
}
