import type { WillMessage } from "../transport.js";
import { JSON_CONTENT_TYPE, PRESENCE_EXTENSION_URI, STATUS_USER_PROPERTY } from "./constants.js";
import { isJsonObject } from "./payload.js";

export type PresenceStatus = "online" | "offline";

export interface Presence {
  status: PresenceStatus;
  /** ISO 8601 UTC time the status began (for a will: when the agent connected). */
  since: string;
  /** Set on an agent's will: it went offline when the broker sent it, not at `since`. */
  will?: true;
}

/**
 * The Message Expiry Interval of an agent's will, the longest MQTT 5 allows: a broker
 * hands out a retained message with the interval that remains, so a client can tell how
 * long ago the will was sent (`willSentAt`), i.e. when the agent went offline.
 */
export const PRESENCE_WILL_EXPIRY_SECONDS = 0xffff_ffff;

/** When a will with `PRESENCE_WILL_EXPIRY_SECONDS` was sent, from the expiry that remains; undefined without one. */
export function willSentAt(remainingExpirySeconds: number | undefined, now: number = Date.now()): Date | undefined {
  if (remainingExpirySeconds === undefined || remainingExpirySeconds > PRESENCE_WILL_EXPIRY_SECONDS) return undefined;
  return new Date(now - (PRESENCE_WILL_EXPIRY_SECONDS - remainingExpirySeconds) * 1000);
}

interface ExtensionLike {
  uri: string;
  params?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * A copy of `card` whose `capabilities.extensions` declares the presence extension
 * with `status` since `options.since` (default now), marked as the will when
 * `options.will` (replacing any earlier presence entry). The input is not modified.
 */
export function withPresence<C extends object>(card: C, status: PresenceStatus, options: { since?: Date; will?: boolean } = {}): C {
  const since = options.since ?? new Date();
  const source = card as { capabilities?: unknown };
  const capabilities = isJsonObject(source.capabilities) ? source.capabilities : {};
  const existing = Array.isArray(capabilities.extensions) ? (capabilities.extensions as ExtensionLike[]) : [];
  const extensions = existing.filter((e) => !(isJsonObject(e) && e.uri === PRESENCE_EXTENSION_URI));
  extensions.push({ uri: PRESENCE_EXTENSION_URI, params: { status, since: since.toISOString(), ...(options.will ? { will: true } : {}) } });
  return { ...card, capabilities: { ...capabilities, extensions } };
}

/** The presence a card declares, or undefined when it carries no valid presence extension. */
export function presenceOf(card: unknown): Presence | undefined {
  if (!isJsonObject(card) || !isJsonObject(card.capabilities)) return undefined;
  const extensions = card.capabilities.extensions;
  if (!Array.isArray(extensions)) return undefined;
  for (const ext of extensions) {
    if (!isJsonObject(ext) || ext.uri !== PRESENCE_EXTENSION_URI || !isJsonObject(ext.params)) continue;
    const { status, since, will } = ext.params;
    if ((status === "online" || status === "offline") && typeof since === "string") return { status, since, ...(will === true ? { will } : {}) };
  }
  return undefined;
}

/** MQTT 5 user properties that repeat the presence status on the card message. */
export function presenceUserProperties(status: PresenceStatus): Record<string, string> {
  return { [STATUS_USER_PROPERTY]: status };
}

/**
 * The retained card message that says an agent's presence (section 3). The MQTT will
 * and every published status are this message; the will (`will: true`) also says it is
 * one and outlives the session long enough for clients to tell when the agent went
 * offline ({@link PRESENCE_WILL_EXPIRY_SECONDS}).
 */
export function encodePresence(options: { topic: string; card: object; status: PresenceStatus; will?: boolean }): Required<WillMessage> {
  const { topic, card, status } = options;
  const will = options.will === true;
  return {
    topic,
    payload: JSON.stringify(withPresence(card, status, { will })),
    qos: 1,
    retain: true,
    properties: {
      contentType: JSON_CONTENT_TYPE,
      userProperties: presenceUserProperties(status),
      ...(will ? { messageExpiryInterval: PRESENCE_WILL_EXPIRY_SECONDS } : {}),
    },
  };
}
