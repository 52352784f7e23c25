/**
 * The id rules of docs/binding.md §1: an id that becomes one topic level is 1..128
 * characters without `/`, `+`, `#` or control characters.
 */

export const MAX_SEGMENT_LENGTH = 128;

// C0 and C1 control characters, DEL included.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Why `value` cannot be one topic level, or undefined when it can. */
export function segmentProblem(value: string): string | undefined {
  if (value.length === 0) return "must not be empty";
  if (value.length > MAX_SEGMENT_LENGTH) return `must be at most ${MAX_SEGMENT_LENGTH} characters`;
  if (/[/+#]/.test(value)) return "must not contain '/', '+' or '#'";
  if (CONTROL.test(value)) return "must not contain control characters";
  return undefined;
}
