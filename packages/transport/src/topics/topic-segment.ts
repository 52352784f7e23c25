/** Longest id accepted as a topic segment (org, agent, client id, inbox). */
export const MAX_TOPIC_SEGMENT_LENGTH = 128;

/**
 * An id cannot become a topic segment. Ids come from configuration and from the
 * network, so this is raised before anything is published or subscribed.
 */
export class InvalidTopicSegmentError extends Error {
  override readonly name = "InvalidTopicSegmentError";
  /** Which id was wrong, e.g. `"org"`. */
  readonly label: string;
  readonly value: unknown;

  constructor(label: string, value: unknown, reason: string) {
    super(`Invalid ${label} ${JSON.stringify(value)}: ${reason}.`);
    this.label = label;
    this.value = value;
  }
}

// C0 and C1 control characters, DEL included: invisible in logs and refused by brokers.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Checks that `value` can be one topic level: a non-empty string of at most 128
 * characters with no `/`, `+`, `#` or control characters. Returns it unchanged.
 * @throws InvalidTopicSegmentError naming `label` and the reason.
 */
export function validateTopicSegment(value: unknown, label: string): string {
  if (typeof value !== "string") throw new InvalidTopicSegmentError(label, value, "must be a string");
  if (value.length === 0) throw new InvalidTopicSegmentError(label, value, "must not be empty");
  if (value.length > MAX_TOPIC_SEGMENT_LENGTH) {
    throw new InvalidTopicSegmentError(label, value, `must be at most ${MAX_TOPIC_SEGMENT_LENGTH} characters`);
  }
  if (/[/+#]/.test(value)) throw new InvalidTopicSegmentError(label, value, "must not contain '/', '+' or '#'");
  if (CONTROL.test(value)) throw new InvalidTopicSegmentError(label, value, "must not contain control characters");
  return value;
}

// What validateTopicSegment refuses inside a segment, in one pattern.
// eslint-disable-next-line no-control-regex
const REFUSED = /[/+#\u0000-\u001f\u007f-\u009f]/;

/** True when `value` passes `validateTopicSegment` (checked without building its error). */
export function isValidTopicSegment(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_TOPIC_SEGMENT_LENGTH && !REFUSED.test(value);
}
