import type { z } from "zod";
import { fastParse } from "./fast-parse.js";

/** One problem found in a wire value. */
export interface WireIssue {
  /** Where, e.g. `message.parts[0].text`; empty for the value itself. */
  path: string;
  message: string;
}

// Bounds the error message (and anything echoed back on the wire) for hostile input.
const MAX_ISSUES_IN_MESSAGE = 10;

/** A wire value that does not match its schema. `message` is readable; `issues` is structured. */
export class WireValidationError extends Error {
  override readonly name = "WireValidationError";
  readonly issues: WireIssue[];

  constructor(issues: WireIssue[]) {
    const shown = issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
    const more = issues.length > MAX_ISSUES_IN_MESSAGE ? `; and ${issues.length - MAX_ISSUES_IN_MESSAGE} more` : "";
    super(shown.join("; ") + more);
    this.issues = issues;
  }
}

export type ParseWireResult<T> = { ok: true; value: T } | { ok: false; error: WireValidationError };

export interface ParseWireOptions {
  /**
   * Path prefix for issues, e.g. `"params"` turns `message.messageId` into
   * `params.message.messageId`.
   * @default ""
   */
  root?: string;
}

/** `["message", "parts", 0, "text"]` → `message.parts[0].text`. */
export function formatPath(path: readonly PropertyKey[], root = ""): string {
  let out = root;
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (typeof seg === "string" && /^[A-Za-z_$@][\w$@-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function expectedName(expected: string): string {
  if (expected === "int") return "an integer";
  return expected === "null" || expected === "undefined" ? expected : article(expected);
}

function plural(n: number | bigint, word: string): string {
  return `${n} ${word}${Number(n) === 1 ? "" : "s"}`;
}

// Zod's default texts ("Invalid input: expected string, received undefined") become
// short sentences that read well after a path. Messages set on a schema win over these.
function issueMessage(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case "invalid_type":
      if (iss.input === undefined) return "is required";
      return `must be ${expectedName(iss.expected)} (got ${typeName(iss.input)})`;
    case "too_small":
      if (iss.origin === "array" || iss.origin === "set") return `must contain at least ${plural(iss.minimum, "element")}`;
      if (iss.origin === "string") return iss.minimum === 1 ? "must not be empty" : `must be at least ${plural(iss.minimum, "character")}`;
      return `must be ${iss.inclusive ? ">=" : ">"} ${iss.minimum}`;
    case "too_big":
      if (iss.origin === "array" || iss.origin === "set") return `must contain at most ${plural(iss.maximum, "element")}`;
      if (iss.origin === "string") return `must be at most ${plural(iss.maximum, "character")}`;
      return `must be ${iss.inclusive ? "<=" : "<"} ${iss.maximum}`;
    case "invalid_value": {
      if (iss.input === undefined) return "is required";
      const allowed = iss.values.map((v) => JSON.stringify(v)).join(", ");
      const got = JSON.stringify(iss.input);
      return iss.values.length === 1 ? `must be ${allowed} (got ${got?.slice(0, 60)})` : `must be one of ${allowed} (got ${got?.slice(0, 60)})`;
    }
    case "invalid_union": {
      if (iss.input === undefined) return "is required";
      // When every alternative fails on the type itself, name the alternatives.
      const rootTypes = (iss.errors ?? []).map((errs) => errs.find((e) => e.path.length === 0 && e.code === "invalid_type"));
      if (rootTypes.length > 0 && rootTypes.every((e) => e !== undefined)) {
        const names = rootTypes.map((e) => (e as { expected: string }).expected).map(expectedName);
        return `must be ${names.slice(0, -1).join(", ")} or ${names.at(-1)} (got ${typeName(iss.input)})`;
      }
      return "does not match any allowed shape";
    }
    case "invalid_format":
      return `must be a valid ${iss.format}`;
    case "not_multiple_of":
      return `must be a multiple of ${iss.divisor}`;
    case "unrecognized_keys":
      return `has unknown keys ${iss.keys.join(", ")}`;
    case "invalid_key":
      return "has an invalid key";
    case "invalid_element":
    case "custom":
      return undefined;
  }
}

interface FlatIssue {
  path: PropertyKey[];
  message: string;
}

// A union where exactly one alternative has the right type (e.g. a message that is an
// object, not a string) reports that alternative's problems, with their precise paths.
function flattenUnion(issue: z.core.$ZodIssue): FlatIssue[] {
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const candidates = issue.errors.filter((errs) => !errs.some((e) => e.path.length === 0 && e.code === "invalid_type"));
    const [only] = candidates;
    if (candidates.length === 1 && only !== undefined && only.length > 0) {
      return only.flatMap(flattenUnion).map((f) => ({ path: [...issue.path, ...f.path], message: f.message }));
    }
  }
  return [{ path: [...issue.path], message: issue.message }];
}

/** Validates an untrusted wire value; never throws. */
export function parseWire<S extends z.ZodType>(
  schema: S,
  value: unknown,
  options: ParseWireOptions = {},
): ParseWireResult<z.output<S>> {
  const fast = fastParse(schema, value);
  if (fast !== undefined) return { ok: true, value: fast };
  const r = schema.safeParse(value, { error: issueMessage });
  if (r.success) return { ok: true, value: r.data };
  const issues = r.error.issues.flatMap(flattenUnion).map((i) => ({ path: formatPath(i.path, options.root), message: i.message }));
  return { ok: false, error: new WireValidationError(issues) };
}

/** Validates an untrusted wire value; throws {@link WireValidationError}. */
export function parseWireOrThrow<S extends z.ZodType>(schema: S, value: unknown, options: ParseWireOptions = {}): z.output<S> {
  const r = parseWire(schema, value, options);
  if (!r.ok) throw r.error;
  return r.value;
}
