// Hand-written checks for the values every request and reply carries (SendMessage
// params, its result, stream events) and for Agent Cards (a directory reads thousands
// at once), in their plain 1.0 form. They return exactly what the zod schema would
// return (a copy with the known keys in schema order, unknown keys dropped) or
// undefined for anything else: 0.3 spellings, unusual keys, invalid values. Undefined
// means "ask zod", which then parses or reports the error, so the fast path never
// accepts what zod rejects and never changes an error.
import { AgentCardSchema } from "./agent-card.js";
import { SendMessageParamsSchema } from "./operations.js";
import { MAX_ID_LENGTH, TimestampSchema } from "./primitives.js";
import { SendMessageResultSchema, StreamResponseSchema, TaskSchema } from "./task.js";
import { TASK_STATES } from "./task-state.js";
import type { z } from "zod";

type Obj = Record<string, unknown>;
/** A checker: the parsed copy, or undefined to leave the value to zod. */
type Fast = (v: unknown) => Obj | undefined;

/**
 * True while {@link fastCheck} runs: the checkers then return the value itself instead of
 * a copy, and refuse (undefined) an object with a key the copy would drop.
 */
let inPlace = false;

// Same characters as the IdSchema refinement.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
const BASE64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;
const STATES: ReadonlySet<unknown> = new Set(TASK_STATES);
const ROLES: ReadonlySet<unknown> = new Set(["ROLE_USER", "ROLE_AGENT"]);
// zod's own pattern for the timestamp; without it timestamps are left to zod.
const TIMESTAMP = (TimestampSchema as unknown as { _zod?: { pattern?: unknown } })._zod?.pattern;

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isId(v: unknown): v is string {
  return typeof v === "string" && v.length > 0 && v.length <= MAX_ID_LENGTH && !CONTROL_CHARS.test(v);
}

function isTimestamp(v: unknown): v is string {
  return typeof v === "string" && TIMESTAMP instanceof RegExp && TIMESTAMP.test(v);
}

/** A metadata record: a shallow copy, as zod's record makes. */
function record(v: unknown): Obj | undefined {
  // A "__proto__" key takes a path through zod's record that a copy does not mirror.
  if (!isObject(v) || Object.hasOwn(v, "__proto__")) return undefined;
  return inPlace ? v : { ...v };
}

// Array.isArray says any[]; the elements are still to be checked.
const isArray = (v: unknown): v is readonly unknown[] => Array.isArray(v);

function strings(v: unknown): string[] | undefined {
  if (!isArray(v)) return undefined;
  for (const s of v) if (typeof s !== "string") return undefined;
  return inPlace ? (v as string[]) : ([...v] as string[]);
}

function ids(v: unknown): string[] | undefined {
  if (!isArray(v)) return undefined;
  for (const s of v) if (!isId(s)) return undefined;
  return inPlace ? (v as string[]) : ([...v] as string[]);
}

function list(v: unknown, item: Fast, min: number): Obj[] | undefined {
  if (!isArray(v) || v.length < min) return undefined;
  if (inPlace) {
    for (const element of v) if (element === undefined || item(element) !== element) return undefined;
    return v as Obj[];
  }
  const out = new Array<Obj>(v.length);
  for (let i = 0; i < v.length; i++) {
    const parsed = item(v[i]);
    if (parsed === undefined) return undefined;
    out[i] = parsed;
  }
  return out;
}

/** The keys an object must have, and those (0.3 forms) that zod would first rewrite. */
interface Keys {
  required: readonly string[];
  refuse?: readonly string[];
}

const NO_KEYS: Keys = { required: [] };

/**
 * Copies the keys of `shape` present in `v`, in shape order, each through its checker
 * (undefined = invalid). Keys not in the shape are dropped, as zod's objects do; an
 * object with a key of `keys.refuse` is left to zod.
 */
function object(v: unknown, shape: Record<string, (x: unknown) => unknown>, { required, refuse = [] }: Keys): Obj | undefined {
  if (!isObject(v)) return undefined;
  for (const key of refuse) if (key in v) return undefined;
  for (const key of required) if (!(key in v)) return undefined;
  if (inPlace) return checkedInPlace(v, shape);
  const out: Obj = {};
  for (const key in shape) {
    if (!Object.hasOwn(v, key)) {
      if (key in v) return undefined; // inherited: leave such oddities to zod
      continue;
    }
    const value = v[key];
    if (value === undefined) return undefined;
    const parsed = shape[key]!(value);
    if (parsed === undefined) return undefined;
    out[key] = parsed;
  }
  return out;
}

/** `object` for {@link fastCheck}: `v` itself when its copy would hold the same keys and values. */
function checkedInPlace(v: Obj, shape: Record<string, (x: unknown) => unknown>): Obj | undefined {
  let known = 0;
  for (const key in shape) {
    if (!Object.hasOwn(v, key)) {
      if (key in v) return undefined;
      continue;
    }
    const value = v[key];
    if (value === undefined || shape[key]!(value) !== value) return undefined;
    known++;
  }
  // Any other key (own or inherited, enumerable) is one the copy would drop.
  let keys = 0;
  for (const _key in v) keys++;
  return keys === known ? v : undefined;
}

const string = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const id = (v: unknown): string | undefined => (isId(v) ? v : undefined);
const boolean = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);
const unknown = (v: unknown): unknown => v;

const PART_CONTENT = ["text", "raw", "url", "data"] as const;
const PART_SHAPE = {
  text: string,
  raw: (v: unknown) => (typeof v === "string" && BASE64.test(v) ? v : undefined),
  url: (v: unknown) => (typeof v === "string" && URL.canParse(v) ? v : undefined),
  data: unknown,
  metadata: record,
  filename: string,
  mediaType: string,
};

const PART_KEYS: Keys = { required: [], refuse: ["kind", "file"] };

function part(v: unknown): Obj | undefined {
  const out = object(v, PART_SHAPE, PART_KEYS);
  if (out === undefined) return undefined;
  let content = 0;
  for (const key of PART_CONTENT) if (key in out) content++;
  return content === 1 ? out : undefined;
}

const parts = (v: unknown): Obj[] | undefined => list(v, part, 1);

const MESSAGE_SHAPE = {
  messageId: id,
  role: (v: unknown) => (ROLES.has(v) ? v : undefined),
  parts,
  contextId: id,
  taskId: id,
  metadata: record,
  extensions: strings,
  referenceTaskIds: ids,
};
const MESSAGE_KEYS: Keys = { required: ["messageId", "role", "parts"], refuse: ["kind"] };
const message = (v: unknown): Obj | undefined => object(v, MESSAGE_SHAPE, MESSAGE_KEYS);

const STATUS_SHAPE = {
  state: (v: unknown) => (STATES.has(v) ? v : undefined),
  message,
  timestamp: (v: unknown) => (isTimestamp(v) ? v : undefined),
};
const STATUS_KEYS: Keys = { required: ["state"] };
const status = (v: unknown): Obj | undefined => object(v, STATUS_SHAPE, STATUS_KEYS);

const ARTIFACT_SHAPE = {
  artifactId: id,
  parts,
  name: string,
  description: string,
  metadata: record,
  extensions: strings,
};
const ARTIFACT_KEYS: Keys = { required: ["artifactId", "parts"] };
const artifact = (v: unknown): Obj | undefined => object(v, ARTIFACT_SHAPE, ARTIFACT_KEYS);

const TASK_SHAPE = {
  id,
  contextId: id,
  status,
  artifacts: (v: unknown) => list(v, artifact, 0),
  history: (v: unknown) => list(v, message, 0),
  metadata: record,
};
const TASK_KEYS: Keys = { required: ["id", "status"], refuse: ["kind"] };
const task = (v: unknown): Obj | undefined => object(v, TASK_SHAPE, TASK_KEYS);

const STATUS_UPDATE_SHAPE = { taskId: id, contextId: id, status, metadata: record };
const STATUS_UPDATE_KEYS: Keys = { required: ["taskId", "contextId", "status"], refuse: ["kind", "final"] };
const ARTIFACT_UPDATE_SHAPE = { taskId: id, contextId: id, artifact, append: boolean, lastChunk: boolean, metadata: record };
const ARTIFACT_UPDATE_KEYS: Keys = { required: ["taskId", "contextId", "artifact"], refuse: ["kind"] };

/** Exactly one of the wrapper keys, as the oneof refinements demand. */
function oneOf(v: unknown, shape: Record<string, Fast>): Obj | undefined {
  if (isObject(v) && "kind" in v) return undefined;
  const out = object(v, shape, NO_KEYS);
  if (out === undefined) return undefined;
  let present = 0;
  for (const key in out) if (out[key] !== undefined) present++;
  return present === 1 ? out : undefined;
}

const SEND_RESULT_SHAPE = { task, message };
const STREAM_RESPONSE_SHAPE = {
  task,
  message,
  statusUpdate: (v: unknown) => object(v, STATUS_UPDATE_SHAPE, STATUS_UPDATE_KEYS),
  artifactUpdate: (v: unknown) => object(v, ARTIFACT_UPDATE_SHAPE, ARTIFACT_UPDATE_KEYS),
};

const CONFIGURATION_SHAPE = {
  acceptedOutputModes: strings,
  historyLength: (v: unknown) => (typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? v : undefined),
  returnImmediately: boolean,
};
const CONFIGURATION_KEYS: Keys = { required: [], refuse: ["taskPushNotificationConfig", "pushNotificationConfig", "blocking"] };
const SEND_PARAMS_SHAPE = {
  message,
  // A push config and the 0.3 spellings are left to zod.
  configuration: (v: unknown) => object(v, CONFIGURATION_SHAPE, CONFIGURATION_KEYS),
  metadata: record,
  tenant: string,
};

const SEND_PARAMS_KEYS: Keys = { required: ["message"] };

const nonEmpty = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
const nonEmptyStrings = (v: unknown): string[] | undefined => (isArray(v) && v.length > 0 ? strings(v) : undefined);

const INTERFACE_SHAPE = { url: nonEmpty, protocolBinding: nonEmpty, protocolVersion: nonEmpty, tenant: string };
const INTERFACE_KEYS: Keys = { required: ["url", "protocolBinding", "protocolVersion"] };
const EXTENSION_SHAPE = { uri: nonEmpty, description: string, required: boolean, params: record };
const EXTENSION_KEYS: Keys = { required: ["uri"] };
const CAPABILITIES_SHAPE = {
  streaming: boolean,
  pushNotifications: boolean,
  extensions: (v: unknown) => list(v, (e) => object(e, EXTENSION_SHAPE, EXTENSION_KEYS), 0),
  extendedAgentCard: boolean,
};
// Security requirements are left to zod, and with them the 0.3 `security` it rewrites.
const SKILL_SHAPE = { id: nonEmpty, name: nonEmpty, description: string, tags: nonEmptyStrings, examples: strings, inputModes: strings, outputModes: strings };
const SKILL_KEYS: Keys = { required: ["id", "name", "description", "tags"], refuse: ["security", "securityRequirements"] };
const PROVIDER_SHAPE = { url: nonEmpty, organization: nonEmpty };
const PROVIDER_KEYS: Keys = { required: ["url", "organization"] };
const SIGNATURE_SHAPE = { protected: nonEmpty, signature: nonEmpty, header: record };
const SIGNATURE_KEYS: Keys = { required: ["protected", "signature"] };

const CARD_SHAPE = {
  name: nonEmpty,
  description: string,
  supportedInterfaces: (v: unknown) => list(v, (i) => object(i, INTERFACE_SHAPE, INTERFACE_KEYS), 1),
  version: string,
  capabilities: (v: unknown) => object(v, CAPABILITIES_SHAPE, NO_KEYS),
  defaultInputModes: nonEmptyStrings,
  defaultOutputModes: nonEmptyStrings,
  skills: (v: unknown) => list(v, (s) => object(s, SKILL_SHAPE, SKILL_KEYS), 1),
  provider: (v: unknown) => object(v, PROVIDER_SHAPE, PROVIDER_KEYS),
  documentationUrl: string,
  iconUrl: string,
  signatures: (v: unknown) => list(v, (s) => object(s, SIGNATURE_SHAPE, SIGNATURE_KEYS), 0),
  protocolVersion: string,
  url: string,
  preferredTransport: string,
};
// Without supportedInterfaces the card is a 0.3 one (or invalid); the refused keys are
// those normalizeAgentCard rewrites, and security schemes, left to zod.
const CARD_KEYS: Keys = {
  required: ["name", "description", "supportedInterfaces", "version", "capabilities", "defaultInputModes", "defaultOutputModes", "skills"],
  refuse: ["supportsAuthenticatedExtendedCard", "supportsExtendedAgentCard", "security", "securityRequirements", "securitySchemes"],
};

const FAST = new Map<z.ZodType, Fast>([
  [SendMessageParamsSchema, (v) => object(v, SEND_PARAMS_SHAPE, SEND_PARAMS_KEYS)],
  [SendMessageResultSchema, (v) => oneOf(v, SEND_RESULT_SHAPE)],
  [StreamResponseSchema, (v) => oneOf(v, STREAM_RESPONSE_SHAPE)],
  [TaskSchema, task],
  [AgentCardSchema, (v) => object(v, CARD_SHAPE, CARD_KEYS)],
]);

/**
 * What `schema.parse(value)` returns, computed without zod when the schema has a fast
 * path and `value` is in its plain 1.0 form; otherwise undefined (then use zod).
 */
export function fastParse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  const fast = FAST.get(schema);
  return fast === undefined ? undefined : (fast(value) as z.output<S> | undefined);
}

/**
 * `value` itself when {@link fastParse} would accept it and its copy would hold the same
 * keys and values (nothing to drop; key order aside), otherwise undefined. For values the
 * caller owns alone, such as JSON just parsed: checked without copying a thing.
 */
export function fastCheck<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  const fast = FAST.get(schema);
  if (fast === undefined) return undefined;
  inPlace = true;
  try {
    return fast(value) === value ? (value as z.output<S>) : undefined;
  } finally {
    inPlace = false;
  }
}
