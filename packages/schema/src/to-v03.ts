// A2A 1.0 → 0.3 output conversion: the shapes a 0.3 client reads (`kind` members,
// lowercase states, roles `user`/`agent`, `file` parts, bare results). The inverse of
// normalize-*.ts, applied to what an agent answers a request that asked for 0.3.
import type { AgentCard } from "./agent-card.js";
import type { Message } from "./message.js";
import type { A2AMethod } from "./methods.js";
import type { Part } from "./parts.js";
import type { TaskPushNotificationConfig } from "./operations.js";
import type { Artifact, StreamResponse, Task, TaskStatus } from "./task.js";
import { SHORT_TASK_STATE_NAMES } from "./task-state-short-names.js";

type Obj = Record<string, unknown>;

const STATES_V03: Readonly<Record<string, string>> = SHORT_TASK_STATE_NAMES;

/** `TASK_STATE_INPUT_REQUIRED` → `input-required` (0.3 TaskState). */
export function taskStateToV03(state: string): string {
  return STATES_V03[state] ?? state;
}

function optional(out: Obj, source: object, keys: readonly string[]): Obj {
  const s = source as Obj;
  for (const key of keys) if (s[key] !== undefined) out[key] = s[key];
  return out;
}

/** A 1.0 part as a 0.3 TextPart, FilePart or DataPart. */
export function partToV03(part: Part): Obj {
  const out: Obj = {};
  if ("text" in part) {
    out["kind"] = "text";
    out["text"] = part.text;
  } else if ("raw" in part || "url" in part) {
    out["kind"] = "file";
    const file: Obj = "raw" in part ? { bytes: part.raw } : { uri: part.url };
    if (part.filename !== undefined) file["name"] = part.filename;
    if (part.mediaType !== undefined) file["mimeType"] = part.mediaType;
    out["file"] = file;
  } else {
    out["kind"] = "data";
    // 0.3 data parts hold an object; any other JSON value is wrapped.
    const data = part.data;
    out["data"] = typeof data === "object" && data !== null && !Array.isArray(data) ? data : { value: data };
  }
  if (part.metadata !== undefined) out["metadata"] = part.metadata;
  return out;
}

/** A 1.0 message as a 0.3 Message (`kind: "message"`, role `user` / `agent`). */
export function messageToV03(message: Message): Obj {
  const out: Obj = {
    kind: "message",
    messageId: message.messageId,
    role: message.role === "ROLE_AGENT" ? "agent" : "user",
    parts: message.parts.map(partToV03),
  };
  return optional(out, message, ["contextId", "taskId", "referenceTaskIds", "metadata", "extensions"]);
}

export function statusToV03(status: TaskStatus): Obj {
  const out: Obj = { state: taskStateToV03(status.state) };
  if (status.message !== undefined) out["message"] = messageToV03(status.message);
  if (status.timestamp !== undefined) out["timestamp"] = status.timestamp;
  return out;
}

export function artifactToV03(artifact: Artifact): Obj {
  const out: Obj = { artifactId: artifact.artifactId, parts: artifact.parts.map(partToV03) };
  return optional(out, artifact, ["name", "description", "metadata", "extensions"]);
}

/** A 1.0 task as a 0.3 Task (`kind: "task"`). */
export function taskToV03(task: Task): Obj {
  const out: Obj = { kind: "task", id: task.id, contextId: task.contextId ?? "", status: statusToV03(task.status) };
  if (task.artifacts !== undefined) out["artifacts"] = task.artifacts.map(artifactToV03);
  if (task.history !== undefined) out["history"] = task.history.map(messageToV03);
  if (task.metadata !== undefined) out["metadata"] = task.metadata;
  return out;
}

const ENDING_STATES = new Set(["completed", "failed", "canceled", "rejected", "input-required", "auth-required"]);

/**
 * A StreamResponse as the bare 0.3 event: Task, Message, TaskStatusUpdateEvent (with
 * `final`, true when the state ends the stream) or TaskArtifactUpdateEvent.
 */
export function streamResponseToV03(event: StreamResponse): Obj {
  if ("task" in event) return taskToV03(event.task);
  if ("message" in event) return messageToV03(event.message);
  if ("statusUpdate" in event) {
    const u = event.statusUpdate;
    const status = statusToV03(u.status);
    const out: Obj = { kind: "status-update", taskId: u.taskId, contextId: u.contextId, status, final: ENDING_STATES.has(status["state"] as string) };
    return optional(out, u, ["metadata"]);
  }
  const u = event.artifactUpdate;
  const out: Obj = { kind: "artifact-update", taskId: u.taskId, contextId: u.contextId, artifact: artifactToV03(u.artifact) };
  return optional(out, u, ["append", "lastChunk", "metadata"]);
}

/** 1.0 `{task}` / `{message}` → the bare 0.3 Task or Message. */
export function sendMessageResultToV03(result: { task: Task } | { message: Message }): Obj {
  return "task" in result ? taskToV03(result.task) : messageToV03(result.message);
}

/** 1.0 flat config → 0.3 `{taskId, pushNotificationConfig: {id, url, token, authentication: {schemes}}}`. */
export function pushConfigToV03(config: TaskPushNotificationConfig): Obj {
  const inner: Obj = optional({}, config, ["id", "url", "token"]);
  if (config.authentication !== undefined) {
    const auth: Obj = { schemes: [config.authentication.scheme] };
    if (config.authentication.credentials !== undefined) auth["credentials"] = config.authentication.credentials;
    inner["authentication"] = auth;
  }
  return { taskId: config.taskId, pushNotificationConfig: inner };
}

/** 1.0 security requirements `[{schemes: {name: {list}}}]` → 0.3 `[{name: scopes}]`. */
function securityToV03(requirements: unknown): unknown {
  if (!Array.isArray(requirements)) return requirements;
  return requirements.map((req: { schemes?: Record<string, { list?: string[] }> }) =>
    Object.fromEntries(Object.entries(req.schemes ?? {}).map(([name, scopes]) => [name, scopes.list ?? []])),
  );
}

const SCHEME_TYPES: Readonly<Record<string, string>> = {
  apiKeySecurityScheme: "apiKey",
  httpAuthSecurityScheme: "http",
  oauth2SecurityScheme: "oauth2",
  openIdConnectSecurityScheme: "openIdConnect",
  mtlsSecurityScheme: "mutualTLS",
};

function securitySchemeToV03(scheme: Obj): Obj {
  for (const [wrapper, type] of Object.entries(SCHEME_TYPES)) {
    const inner = scheme[wrapper] as Obj | undefined;
    if (inner === undefined) continue;
    if (type !== "apiKey") return { type, ...inner };
    const { location, ...rest } = inner;
    return { type, ...rest, in: location };
  }
  return scheme;
}

/**
 * A 1.0 card as a 0.3 AgentCard: `url` and `preferredTransport` from the interface that
 * serves 0.3 (else the first), the others as `additionalInterfaces`.
 */
export function agentCardToV03(card: AgentCard): Obj {
  const interfaces = card.supportedInterfaces;
  const main = interfaces.find((i) => i.protocolVersion.startsWith("0.3")) ?? interfaces[0]!;
  const out: Obj = {
    protocolVersion: "0.3.0",
    name: card.name,
    description: card.description,
    url: main.url,
    preferredTransport: card.preferredTransport ?? main.protocolBinding,
    version: card.version,
    capabilities: optional({}, card.capabilities, ["streaming", "pushNotifications", "extensions"]),
    defaultInputModes: card.defaultInputModes,
    defaultOutputModes: card.defaultOutputModes,
    skills: card.skills.map((skill) => {
      const { securityRequirements, ...rest } = skill;
      return securityRequirements === undefined ? rest : { ...rest, security: securityToV03(securityRequirements) };
    }),
  };
  const others = interfaces.filter((i) => i !== main && !(i.url === main.url && i.protocolBinding === main.protocolBinding));
  if (others.length > 0) out["additionalInterfaces"] = others.map((i) => ({ url: i.url, transport: i.protocolBinding }));
  if (card.capabilities.extendedAgentCard === true) out["supportsAuthenticatedExtendedCard"] = true;
  optional(out, card, ["provider", "documentationUrl", "iconUrl", "signatures"]);
  if (card.securitySchemes !== undefined) {
    out["securitySchemes"] = Object.fromEntries(Object.entries(card.securitySchemes).map(([k, s]) => [k, securitySchemeToV03(s as Obj)]));
  }
  if (card.securityRequirements !== undefined) out["security"] = securityToV03(card.securityRequirements);
  return out;
}

/**
 * The result of `method` (as the 1.0 handler returned it) in 0.3 form: bare Task /
 * Message for message/send, the 0.3 push config shapes (a bare array for list, `null`
 * for delete), the 0.3 card.
 */
export function resultToV03(method: A2AMethod, result: unknown): unknown {
  switch (method) {
    case "SendMessage":
      return sendMessageResultToV03(result as { task: Task } | { message: Message });
    case "GetTask":
    case "CancelTask":
      return taskToV03(result as Task);
    case "ListTasks": {
      const page = result as { tasks: Task[] } & Obj;
      return { ...page, tasks: page.tasks.map(taskToV03) };
    }
    case "CreateTaskPushNotificationConfig":
    case "GetTaskPushNotificationConfig":
      return pushConfigToV03(result as TaskPushNotificationConfig);
    case "ListTaskPushNotificationConfigs":
      return (result as { configs: TaskPushNotificationConfig[] }).configs.map(pushConfigToV03);
    case "DeleteTaskPushNotificationConfig":
      return null;
    case "GetExtendedAgentCard":
      return agentCardToV03(result as AgentCard);
    case "SendStreamingMessage":
    case "SubscribeToTask":
      return streamResponseToV03(result as StreamResponse);
  }
}
