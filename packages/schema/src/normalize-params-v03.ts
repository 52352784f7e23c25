// A2A 0.3 operation params → 1.0. 0.3 named the task `id` where 1.0 says
// `taskId` in push-config operations, nested the push config, and used
// `blocking` where 1.0 has `returnImmediately`.
import { isPlainObject } from "./normalize-v03.js";

type Obj = Record<string, unknown>;

/** 0.3 `authentication: {schemes: [..], credentials}` → 1.0 `{scheme, credentials}`. */
function authenticationV03(a: unknown): unknown {
  if (!isPlainObject(a) || "scheme" in a || !Array.isArray(a["schemes"])) return a;
  const { schemes, ...rest } = a;
  return { ...rest, scheme: (schemes as unknown[])[0] };
}

export function normalizePushConfig(v: unknown): unknown {
  if (!isPlainObject(v)) return v;
  let o: Obj = { ...v };
  // 0.3 TaskPushNotificationConfig nested the config under pushNotificationConfig.
  const nested = o["pushNotificationConfig"];
  if (isPlainObject(nested)) {
    delete o["pushNotificationConfig"];
    o = { ...nested, ...o };
  }
  if ("authentication" in o) o["authentication"] = authenticationV03(o["authentication"]);
  return o;
}

export function normalizeSendConfiguration(v: unknown): unknown {
  if (!isPlainObject(v)) return v;
  const o: Obj = { ...v };
  if ("pushNotificationConfig" in o && !("taskPushNotificationConfig" in o)) {
    o["taskPushNotificationConfig"] = o["pushNotificationConfig"];
  }
  delete o["pushNotificationConfig"];
  if (typeof o["blocking"] === "boolean" && o["returnImmediately"] === undefined) {
    o["returnImmediately"] = !o["blocking"];
  }
  delete o["blocking"];
  return o;
}

/**
 * 0.3 `{id, pushNotificationConfigId}` (id = the task) → 1.0 `{taskId, id}`.
 * 0.3 used the task id as the default config id, so a missing config id means that.
 */
export function normalizeTaskConfigRef(v: unknown): unknown {
  if (!isPlainObject(v) || "taskId" in v) return v;
  const { id, pushNotificationConfigId, ...rest } = v;
  return { ...rest, taskId: id, id: pushNotificationConfigId ?? id };
}

/** 0.3 `{id}` (the task) → 1.0 `{taskId}`. */
export function normalizeListConfigsParams(v: unknown): unknown {
  if (!isPlainObject(v) || "taskId" in v || !("id" in v)) return v;
  const { id, ...rest } = v;
  return { ...rest, taskId: id };
}

/** 0.3 returned a bare array of configs. */
export function normalizeListConfigsResult(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return { configs: v.map(normalizePushConfig), nextPageToken: "" };
}
