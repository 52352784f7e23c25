import { PRESENCE_EXTENSION_URI, STATUS_USER_PROPERTY } from "./constants.js";
import { isJsonObject } from "./payload.js";

export type PresenceStatus = "online" | "offline";

export interface Presence {
  status: PresenceStatus;
  /** ISO 8601 UTC time the status began. */
  since: string;
}

interface ExtensionLike {
  uri: string;
  params?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * A copy of `card` whose `capabilities.extensions` declares the presence extension
 * with `status` (replacing any earlier presence entry). The input is not modified.
 */
export function withPresence<C extends object>(card: C, status: PresenceStatus, since: Date = new Date()): C {
  const source = card as { capabilities?: unknown };
  const capabilities = isJsonObject(source.capabilities) ? source.capabilities : {};
  const existing = Array.isArray(capabilities.extensions) ? (capabilities.extensions as ExtensionLike[]) : [];
  const extensions = existing.filter((e) => !(isJsonObject(e) && e.uri === PRESENCE_EXTENSION_URI));
  extensions.push({ uri: PRESENCE_EXTENSION_URI, params: { status, since: since.toISOString() } });
  return { ...card, capabilities: { ...capabilities, extensions } } as C;
}

/** The presence a card declares, or undefined when it carries no valid presence extension. */
export function presenceOf(card: unknown): Presence | undefined {
  if (!isJsonObject(card) || !isJsonObject(card.capabilities)) return undefined;
  const extensions = card.capabilities.extensions;
  if (!Array.isArray(extensions)) return undefined;
  for (const ext of extensions) {
    if (!isJsonObject(ext) || ext.uri !== PRESENCE_EXTENSION_URI || !isJsonObject(ext.params)) continue;
    const { status, since } = ext.params;
    if ((status === "online" || status === "offline") && typeof since === "string") return { status, since };
  }
  return undefined;
}

/** MQTT 5 user properties that repeat the presence status on the card message. */
export function presenceUserProperties(status: PresenceStatus): Record<string, string> {
  return { [STATUS_USER_PROPERTY]: status };
}
