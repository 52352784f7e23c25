import { z } from "zod";

/** Longest id accepted for messageId, taskId, contextId, artifactId and config ids. */
export const MAX_ID_LENGTH = 256;
/** Longest MQTT topic segment (org id, agent id) accepted. */
export const MAX_TOPIC_SEGMENT_LENGTH = 128;

// C0 controls, DEL and C1 controls: never useful in an id, dangerous in logs and topics.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** A protocol id: non-empty, at most {@link MAX_ID_LENGTH} characters, no control characters. */
export const IdSchema = z
  .string()
  .min(1, "must not be empty")
  .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`)
  .refine((s) => !CONTROL_CHARS.test(s), "must not contain control characters");

/**
 * A value that becomes one MQTT topic level (org id, agent id): an {@link IdSchema}
 * that additionally cannot contain the topic separators or wildcards `/ + #`.
 */
export const TopicSegmentSchema = z
  .string()
  .min(1, "must not be empty")
  .max(MAX_TOPIC_SEGMENT_LENGTH, `must be at most ${MAX_TOPIC_SEGMENT_LENGTH} characters`)
  .refine((s) => !CONTROL_CHARS.test(s), "must not contain control characters")
  .refine((s) => !/[/+#]/.test(s), "must not contain '/', '+' or '#'");

/** True when `s` can safely be used as one MQTT topic level. */
export function isTopicSegment(s: unknown): s is string {
  return TopicSegmentSchema.safeParse(s).success;
}

/** A free-form JSON object (protobuf `Struct`). */
export const MetadataSchema = z.record(z.string(), z.unknown());

/** An ISO 8601 UTC timestamp ending in `Z`, as ProtoJSON writes `Timestamp`. */
export const TimestampSchema = z.iso.datetime({ message: "must be an ISO 8601 UTC timestamp like 2024-01-01T12:00:00Z" });

// ProtoJSON accepts standard and URL-safe base64, with or without padding.
const BASE64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

/** Base64 text (standard or URL-safe alphabet, padding optional). */
export const Base64Schema = z.string().regex(BASE64, "must be base64");

/** Absolute URL. */
export const UrlSchema = z.string().refine((s) => URL.canParse(s), "must be an absolute URL");

/** A non-empty string used for media types, names and similar labels. */
export const NonEmptyStringSchema = z.string().min(1, "must not be empty");

/**
 * An array that must have at least one element: the spec's rule for arrays marked as
 * required ("Arrays marked as required MUST contain at least one element").
 */
export function nonEmptyArray<T extends z.ZodType>(item: T): z.ZodArray<T> {
  return z.array(item).min(1, "must contain at least 1 element");
}
