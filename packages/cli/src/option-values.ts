import { UsageError } from "./errors.js";

/** Option values by long name without the dashes (`"no-wait"`, `"page-size"`). */
export type OptionValues = Record<string, string | boolean | undefined>;

/** An option as commander spells it: `"-s, --skill <id>"`, `"--no-wait"`, `"--json"`. */
export interface OptionSpec {
  flags: string;
  description: string;
}

/** The whole numbers an integer option accepts. */
export interface IntegerRange {
  min: number;
  /** @default Number.MAX_SAFE_INTEGER */
  max?: number;
}

/** `raw` as a whole number within `range`; a usage error naming `label` (and `command`) otherwise. */
export function parseInteger(raw: string, { label, min, max = Number.MAX_SAFE_INTEGER, command }: IntegerRange & { label: string; command?: string }): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${label} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}.`, command);
  }
  return value;
}
