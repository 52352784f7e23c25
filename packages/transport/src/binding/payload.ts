import { MAX_REPLY_TOPIC_BYTES } from "./constants.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

export type ParsedPayload =
  | { ok: true; value: unknown }
  | { ok: false; reason: "too-large" | "not-utf8" | "not-json"; message: string };

/** Decodes a UTF-8 JSON payload, refusing anything above `maxBytes` before parsing it. */
export function parseJsonPayload(payload: Uint8Array | string, maxBytes: number): ParsedPayload {
  const size = typeof payload === "string" ? Buffer.byteLength(payload, "utf8") : payload.byteLength;
  if (size > maxBytes) {
    return { ok: false, reason: "too-large", message: `Payload of ${size} bytes exceeds the limit of ${maxBytes} bytes` };
  }
  let text: string;
  if (typeof payload === "string") text = payload;
  else {
    try {
      text = utf8.decode(payload);
    } catch {
      return { ok: false, reason: "not-utf8", message: "Payload is not valid UTF-8" };
    }
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: "not-json", message: "Payload is not valid JSON" };
  }
}

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// NUL and other control characters have no business in a topic we publish to.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * True when `topic` is a topic a reply may be published to: non-empty, no wildcards,
 * no control characters, at most {@link MAX_REPLY_TOPIC_BYTES} bytes.
 */
export function isValidReplyTopic(topic: unknown): topic is string {
  if (typeof topic !== "string" || topic.length === 0) return false;
  if (topic.includes("+") || topic.includes("#") || CONTROL_CHARS.test(topic)) return false;
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short topics need no counting.
  return topic.length * 3 <= MAX_REPLY_TOPIC_BYTES || Buffer.byteLength(topic, "utf8") <= MAX_REPLY_TOPIC_BYTES;
}
