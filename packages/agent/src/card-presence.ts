import type { AgentCard } from "@a2a/schema";
import type { WillMessage } from "@a2a/transport";
import { PRESENCE_WILL_EXPIRY_SECONDS, presenceUserProperties, withPresence, type PresenceStatus } from "@a2a/transport/binding";

/**
 * The retained card that says an agent's presence. The MQTT will and every published
 * status are the same message; the will also says it is one and outlives the session
 * long enough for clients to tell when the agent went offline.
 */
export function presenceMessage(topic: string, card: AgentCard, status: PresenceStatus, options: { will?: boolean } = {}): Required<WillMessage> {
  const will = options.will === true;
  return {
    topic,
    payload: JSON.stringify(will ? withPresence(card, status, { will: true }) : withPresence(card, status)),
    qos: 1,
    retain: true,
    properties: {
      contentType: "application/json",
      userProperties: presenceUserProperties(status),
      ...(will ? { messageExpiryInterval: PRESENCE_WILL_EXPIRY_SECONDS } : {}),
    },
  };
}
