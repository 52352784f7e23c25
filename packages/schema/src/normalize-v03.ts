import { SHORT_TASK_STATE_NAMES } from "./task-state-short-names.js";

// A2A 0.3 → 1.0 input normalisation. Each function takes an untrusted value and
// returns the 1.0 shape for the strict schema that follows it; anything it does
// not recognise passes through untouched so that the 1.0 schema reports it.
// Ambiguous mixes of the two versions are reported here, with a precise path.

/** The part of zod's refinement context the normalisers use. */
export interface IssueSink {
  addIssue(issue: { code: "custom"; message: string; path?: PropertyKey[] }): void;
}

type Obj = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const ROLES_V03: Record<string, string> = { user: "ROLE_USER", agent: "ROLE_AGENT" };

/** `"user"`/`"agent"` → `ROLE_USER`/`ROLE_AGENT`. */
export function normalizeRole(v: unknown): unknown {
  return typeof v === "string" ? (ROLES_V03[v] ?? v) : v;
}

const STATES_V03: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(SHORT_TASK_STATE_NAMES).map(([state, short]) => [short, state]));

/** `"completed"`, `"input-required"`, … → `TASK_STATE_*`. */
export function normalizeTaskState(v: unknown): unknown {
  return typeof v === "string" ? (STATES_V03[v] ?? v) : v;
}

function takeKind(o: Obj, allowed: readonly string[], sink: IssueSink): string | undefined {
  if (!("kind" in o)) return undefined;
  const kind = o["kind"];
  delete o["kind"];
  if (typeof kind !== "string" || !allowed.includes(kind)) {
    const expected = allowed.map((k) => JSON.stringify(k)).join(" or ");
    sink.addIssue({ code: "custom", path: ["kind"], message: `must be ${expected} here (got ${JSON.stringify(kind)})` });
    return undefined;
  }
  return kind;
}

const PART_KIND_TO_CONTENT: Record<string, readonly string[]> = {
  text: ["text"],
  file: ["raw", "url"],
  data: ["data"],
};

/** 0.3 parts (`kind`, `file: {bytes|uri, name, mimeType}`) → 1.0 parts. */
export function normalizePart(v: unknown, sink: IssueSink): unknown {
  if (!isPlainObject(v)) return v;
  const o: Obj = { ...v };
  const kind = takeKind(o, ["text", "file", "data"], sink);
  if ("file" in o) {
    const file = o["file"];
    delete o["file"];
    if (!isPlainObject(file)) {
      sink.addIssue({ code: "custom", path: ["file"], message: "must be an object with bytes or uri" });
      return o;
    }
    // JSON-RPC 0.3 spells them bytes/uri; the 0.3 proto JSON fileWithBytes/fileWithUri.
    const bytes = file["bytes"] ?? file["fileWithBytes"];
    const uri = file["uri"] ?? file["fileWithUri"];
    const hasBytes = bytes !== undefined;
    const hasUri = uri !== undefined;
    if (hasBytes === hasUri) {
      sink.addIssue({ code: "custom", path: ["file"], message: "must have exactly one of bytes, uri" });
      return o;
    }
    for (const key of ["text", "raw", "url", "data"]) {
      if (key in o) {
        sink.addIssue({ code: "custom", path: [], message: `must not have both file and ${key}` });
        return o;
      }
    }
    if (hasBytes) o["raw"] = bytes;
    else o["url"] = uri;
    if (file["name"] !== undefined && o["filename"] === undefined) o["filename"] = file["name"];
    if (file["mimeType"] !== undefined && o["mediaType"] === undefined) o["mediaType"] = file["mimeType"];
  }
  if (kind !== undefined) {
    const expected = PART_KIND_TO_CONTENT[kind] ?? [];
    const present = ["text", "raw", "url", "data"].filter((k) => k in o);
    if (present.length === 1 && !expected.includes(present[0]!)) {
      sink.addIssue({ code: "custom", path: ["kind"], message: `is ${JSON.stringify(kind)} but the part carries ${present[0]}` });
    }
  }
  return o;
}

function dropKind(expected: string) {
  return (v: unknown, sink: IssueSink): unknown => {
    if (!isPlainObject(v)) return v;
    const o: Obj = { ...v };
    takeKind(o, [expected], sink);
    return o;
  };
}

/** Drops `kind: "message"`; any other kind is an error. */
export const normalizeMessage = dropKind("message");
/** Drops `kind: "task"`; any other kind is an error. */
export const normalizeTask = dropKind("task");
/** Drops `kind: "artifact-update"`; any other kind is an error. */
export const normalizeArtifactUpdate = dropKind("artifact-update");

/** Drops `kind: "status-update"` and the 0.3 `final` flag (the state says whether a stream ends). */
export function normalizeStatusUpdate(v: unknown, sink: IssueSink): unknown {
  const o = dropKind("status-update")(v, sink);
  if (isPlainObject(o)) delete o["final"];
  return o;
}

const WRAPPER_FOR_KIND: Record<string, string> = {
  task: "task",
  message: "message",
  "status-update": "statusUpdate",
  "artifact-update": "artifactUpdate",
};

/**
 * 0.3 results are the bare object tagged by `kind`; 1.0 wraps it in a oneof
 * (`{task}`, `{message}`, `{statusUpdate}`, `{artifactUpdate}`).
 */
export function wrapByKind(allowedWrappers: readonly string[]) {
  return (v: unknown, sink: IssueSink): unknown => {
    if (!isPlainObject(v) || !("kind" in v)) return v;
    if (allowedWrappers.some((w) => w in v)) {
      sink.addIssue({ code: "custom", path: ["kind"], message: "must not be set on a 1.0 wrapper object" });
      return v;
    }
    const wrapper = typeof v["kind"] === "string" ? WRAPPER_FOR_KIND[v["kind"]] : undefined;
    if (wrapper === undefined || !allowedWrappers.includes(wrapper)) {
      const kinds = Object.entries(WRAPPER_FOR_KIND)
        .filter(([, w]) => allowedWrappers.includes(w))
        .map(([k]) => JSON.stringify(k))
        .join(", ");
      sink.addIssue({ code: "custom", path: ["kind"], message: `must be one of ${kinds} (got ${JSON.stringify(v["kind"])})` });
      return v;
    }
    return { [wrapper]: v };
  };
}
