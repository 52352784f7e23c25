// Conversions between the seed's compact formats and the A2A 1.0 model.
import type { AgentCard, AgentSkill } from "./agent-card.js";
import type { CompactAgentCard, CompactStatus, TaskRequest, TaskResult } from "./compact.js";
import { SKILL_METADATA_KEY, type Message } from "./message.js";
import type { Part } from "./parts.js";
import type { SendMessageParams } from "./operations.js";
import type { Task } from "./task.js";
import type { TaskState } from "./task-state.js";
import { SHORT_TASK_STATE_NAMES } from "./task-state-short-names.js";

/** Message metadata key keeping the seed's client-side task label. */
export const SEED_TASK_ID_METADATA_KEY = "seedTaskId";
/** Message metadata key keeping the members of `params` other than `message`. */
export const SEED_PARAMS_METADATA_KEY = "seedParams";
/** The binding URI our MQTT interface declares (see docs/binding.md). */
export const MQTT_PROTOCOL_BINDING = "urn:a2a-mqtt:binding:mqtt:v1";

/**
 * A Task Request as SendMessage params: the skill goes to
 * `message.metadata[SKILL_METADATA_KEY]`, the seed's `taskId` (a client-side label,
 * not an A2A task id) to `message.metadata.seedTaskId`, and `messageId` is the request id.
 * Expects a request already validated with `TaskRequestSchema`.
 */
export function taskRequestToSendMessageParams(req: TaskRequest): SendMessageParams {
  const { message, ...rest } = req.params ?? {};
  let parts: Part[];
  let role: Message["role"] = "ROLE_USER";
  if (typeof message === "string") {
    parts = [{ text: message }];
  } else if (message !== undefined) {
    parts = message.content.parts;
    role = message.role ?? role;
  } else {
    parts = [{ data: req.params ?? {} }];
  }
  const metadata: Record<string, unknown> = { [SKILL_METADATA_KEY]: req.operation };
  if (req.taskId !== undefined) metadata[SEED_TASK_ID_METADATA_KEY] = req.taskId;
  if (message !== undefined && Object.keys(rest).length > 0) metadata[SEED_PARAMS_METADATA_KEY] = rest;
  const out: Message = { messageId: req.id, role, parts, metadata };
  if (req.contextId !== undefined) out.contextId = req.contextId;
  return { message: out };
}

const SHORT_STATE: Readonly<Record<TaskState, CompactStatus>> = SHORT_TASK_STATE_NAMES;

/** `TASK_STATE_INPUT_REQUIRED` → `"input-required"`. */
export function compactStatus(state: TaskState): CompactStatus {
  return SHORT_STATE[state];
}

function textOf(parts: readonly Part[] | undefined): string | undefined {
  const texts = (parts ?? []).flatMap((p) => ("text" in p ? [p.text] : []));
  return texts.length > 0 ? texts.join("") : undefined;
}

/**
 * A task as the seed's Task Result. The inner `result` is the first data part of the
 * last artifact, else that artifact's text, else the status message's text; a failed
 * or rejected task carries the status message's text as `error`.
 */
export function taskToTaskResult(task: Task, request: Pick<TaskRequest, "id" | "taskId">): TaskResult {
  const status = compactStatus(task.status.state);
  const last = task.artifacts?.at(-1);
  const data = last?.parts.find((p) => "data" in p);
  const statusText = textOf(task.status.message?.parts);
  let value: unknown = data !== undefined && "data" in data ? data.data : (textOf(last?.parts) ?? statusText);
  const inner: NonNullable<TaskResult["result"]> = { status };
  const out: TaskResult = { id: request.id, status, result: inner };
  if (status === "failed" || status === "rejected") {
    const error = statusText ?? `task ${status}`;
    inner.error = error;
    out.error = error;
    if (value === statusText) value = undefined;
  }
  if (value !== undefined) inner.result = value;
  if (request.taskId !== undefined) out.taskId = request.taskId;
  if (task.contextId !== undefined) out.contextId = task.contextId;
  return out;
}

export interface AgentIds {
  /** Organisation id: the first topic level. */
  orgId: string;
  /** Agent id: the second topic level. */
  agentId: string;
}

/** The `mqtt://{org}/{agent}` URL of an agent. */
export function mqttAgentUrl({ orgId, agentId }: AgentIds): string {
  return `mqtt://${orgId}/${agentId}`;
}

/** The seed's compact card for an agent card. */
export function compactCardFromAgentCard(card: AgentCard, ids: AgentIds): CompactAgentCard {
  const mqtt = card.supportedInterfaces.find((i) => i.protocolBinding === MQTT_PROTOCOL_BINDING);
  return {
    protocolVersion: mqtt?.protocolVersion ?? "1.0",
    name: card.name,
    description: card.description,
    url: mqtt?.url ?? mqttAgentUrl(ids),
    preferredTransport: "MQTT",
    skills: card.skills.map((s) => ({ id: s.id, name: s.name, description: s.description })),
  };
}

/**
 * The retained discovery card: the full 1.0 card plus the seed's top-level
 * `protocolVersion`, `url` and `preferredTransport`, so both kinds of client read it.
 */
export function discoveryCardFromAgentCard(card: AgentCard, ids: AgentIds): AgentCard {
  const compact = compactCardFromAgentCard(card, ids);
  return { ...card, protocolVersion: compact.protocolVersion, url: compact.url, preferredTransport: "MQTT" };
}

export interface AgentCardDefaults {
  /** @default "0.0.0" */
  version?: string;
  /** @default ["text/plain", "application/json"] */
  defaultInputModes?: string[];
  /** @default ["text/plain", "application/json"] */
  defaultOutputModes?: string[];
  /** Where to reach the agent when the compact card has no `url`. */
  ids?: AgentIds;
  /** @default [] */
  tags?: string[];
}

/** A 1.0 card for a seed agent known only by its compact card. */
export function agentCardFromCompactCard(compact: CompactAgentCard, defaults: AgentCardDefaults = {}): AgentCard {
  const modes = ["text/plain", "application/json"];
  const url = compact.url ?? (defaults.ids ? mqttAgentUrl(defaults.ids) : undefined);
  if (url === undefined) throw new TypeError("agentCardFromCompactCard: the compact card has no url; pass defaults.ids");
  const skills: AgentSkill[] = compact.skills.map((s) => ({
    id: s.id,
    name: s.name,
    description: s.description ?? s.name,
    tags: defaults.tags ?? [s.id],
  }));
  const card: AgentCard = {
    name: compact.name,
    description: compact.description ?? compact.name,
    supportedInterfaces: [{ url, protocolBinding: MQTT_PROTOCOL_BINDING, protocolVersion: compact.protocolVersion ?? "1.0" }],
    version: defaults.version ?? "0.0.0",
    capabilities: {},
    defaultInputModes: defaults.defaultInputModes ?? modes,
    defaultOutputModes: defaults.defaultOutputModes ?? modes,
    skills,
  };
  if (compact.protocolVersion !== undefined) card.protocolVersion = compact.protocolVersion;
  card.url = url;
  if (compact.preferredTransport !== undefined) card.preferredTransport = compact.preferredTransport;
  return card;
}
