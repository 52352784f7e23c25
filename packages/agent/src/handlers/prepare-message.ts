import {
  SKILL_METADATA_KEY,
  isTerminalState,
  parseWire,
  type SendMessageParams,
  A2AProtocolError,
  A2AErrorCode,
} from "@a2a/schema";
import { AgentUnavailableError } from "../agent-unavailable.js";
import { checkContentTypes } from "../capability-checks.js";
import type { LiveTask } from "../live-task.js";
import { messageBytes, requestMessageBytes } from "../memory-budget.js";
import type { Principal } from "../principal.js";
import type { AgentServices } from "../services.js";
import { skillInput, type RegisteredSkill } from "../skill.js";

/** A task ready to run or resume: subscribe to it, then call `begin()`. */
export interface PreparedMessage {
  live: LiveTask;
  /** True when the message continues an input-required task. */
  resumed: boolean;
  begin(): void;
}

/** A new task: `begin()` runs its handler. A class rather than an object with a closure: every message makes one. */
class NewTask implements PreparedMessage {
  readonly resumed = false;

  constructor(
    readonly live: LiveTask,
    readonly services: AgentServices,
    readonly input: unknown,
  ) {}

  begin(): void {
    this.services.startTask(this.live, this.input);
  }
}

/** An input-required task: `begin()` hands its handler the message. */
class ResumedTask implements PreparedMessage {
  readonly resumed = true;

  constructor(
    readonly live: LiveTask,
    readonly message: SendMessageParams["message"],
  ) {}

  begin(): void {
    this.live.resume(this.message);
  }
}

/**
 * The skill a message is for: `metadata.skillId`, else `operation` (compact
 * requests), else the only skill. Anything else is -32602 naming the choices.
 */
export function resolveSkill(services: Pick<AgentServices, "skills">, params: SendMessageParams, operation?: string): RegisteredSkill {
  const named = params.message.metadata?.[SKILL_METADATA_KEY] ?? operation;
  if (named !== undefined) {
    const skill = typeof named === "string" ? services.skills.get(named) : undefined;
    if (skill !== undefined) return skill;
  }
  if (named === undefined && services.skills.size === 1) return services.skills.values().next().value as RegisteredSkill;
  const ids = [...services.skills.keys()].join(", ");
  if (named !== undefined) {
    throw new A2AProtocolError({
      code: A2AErrorCode.InvalidParams,
      message: `Unknown skill ${JSON.stringify(named)}; this agent has: ${ids}`,
      data: [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: `params.message.metadata.${SKILL_METADATA_KEY}`, description: `must be one of: ${ids}` }] }],
    });
  }
  throw A2AProtocolError.invalidParams(`this agent has several skills (${ids}); name one in message.metadata.${SKILL_METADATA_KEY}`, [
      { path: `params.message.metadata.${SKILL_METADATA_KEY}`, message: "is required" },
    ]);
}

/**
 * Validates a SendMessage against the task it names (if any) and prepares the task.
 * Throws the protocol error to answer with; nothing has changed when it throws. A new
 * task in a new context is prepared at once (no promise: most messages are that);
 * anything needing a store lookup returns a promise.
 */
export function prepareMessage(
  services: AgentServices,
  params: SendMessageParams,
  options: PrepareOptions = {},
): PreparedMessage | Promise<PreparedMessage> {
  const card = services.card();
  const pushConfig = params.configuration?.taskPushNotificationConfig;
  if (pushConfig !== undefined && (services.push === undefined || card.capabilities.pushNotifications !== true)) {
    throw A2AProtocolError.pushNotificationNotSupported();
  }
  const message = params.message;
  if (message.taskId !== undefined) return prepareResume(services, params, options);
  const contextId = message.contextId;
  if (contextId === undefined) return prepareNew(services, params, options);
  return services.contextOpenTo(contextId, options.principal).then((open) => {
    if (!open) {
      throw A2AProtocolError.invalidParams(`message.contextId ${JSON.stringify(contextId)} is a context of another client; omit it to start a new context`, [
        { path: "params.message.contextId", message: "belongs to another client" },
      ]);
    }
    return prepareNew(services, params, options);
  });
}

interface PrepareOptions {
  operation?: string;
  principal?: Principal | undefined;
  newTaskId?: string | undefined;
  /** Bytes of the request that carried the message (its size, without measuring it again). */
  requestBytes?: number | undefined;
}

function pushSourceOf(params: SendMessageParams, principal: Principal | undefined) {
  return params.configuration?.taskPushNotificationConfig === undefined ? undefined : { path: "params.configuration.taskPushNotificationConfig", principal };
}

async function prepareResume(services: AgentServices, params: SendMessageParams, options: PrepareOptions): Promise<PreparedMessage> {
  const message = params.message;
  const taskId = message.taskId as string;
  // Another principal's task is answered as unknown: its existence is not revealed.
  const task = services.liveTask(taskId, options.principal)?.task ?? (await services.findTask(taskId, options.principal));
  if (task === undefined) throw A2AProtocolError.taskNotFound(taskId);
  if (message.contextId !== undefined && task.contextId !== undefined && message.contextId !== task.contextId) {
    throw A2AProtocolError.invalidParams(`message.contextId ${JSON.stringify(message.contextId)} does not match the context of task ${taskId}`, [
        { path: "params.message.contextId", message: `must be ${JSON.stringify(task.contextId)} or omitted` },
      ]);
  }
  const state = task.status.state;
  if (isTerminalState(state)) {
    throw A2AProtocolError.unsupportedOperation(`task ${taskId} is ${state} and accepts no more messages; start a new task`);
  }
  // Re-check after the await: the task may have changed meanwhile.
  const current = services.liveTask(taskId, options.principal);
  if (current === undefined || !current.awaitingInput) {
    throw A2AProtocolError.unsupportedOperation(`task ${taskId} is ${state}; send a message to it only when it is TASK_STATE_INPUT_REQUIRED`);
  }
  const acceptedOutputModes = params.configuration?.acceptedOutputModes;
  const refused = checkContentTypes({ card: services.card(), skill: current.skill, parts: message.parts, acceptedOutputModes });
  if (refused !== undefined) throw refused;
  // The message joins the task's history, and its reply repeats the task.
  services.admitBytes(2 * messageBytes(message));
  const pushConfig = params.configuration?.taskPushNotificationConfig;
  if (pushConfig !== undefined) services.push!.create(taskId, pushConfig, pushSourceOf(params, options.principal));
  return new ResumedTask(current, message);
}

function prepareNew(services: AgentServices, params: SendMessageParams, options: PrepareOptions): PreparedMessage {
  if (services.stopping) throw new AgentUnavailableError("The agent is stopping; retry with another agent or later");
  const message = params.message;
  const skill = resolveSkill(services, params, options.operation);
  const refused = checkContentTypes({ card: services.card(), skill, parts: message.parts, acceptedOutputModes: params.configuration?.acceptedOutputModes });
  if (refused !== undefined) throw refused;
  const pushConfig = params.configuration?.taskPushNotificationConfig;
  const pushSource = pushSourceOf(params, options.principal);
  if (pushConfig !== undefined) services.push!.check(pushConfig, null, pushSource);
  let input: unknown = skillInput(message);
  if (skill.input !== undefined) {
    const parsed = parseWire(skill.input, input, { root: "input" });
    if (!parsed.ok) {
      throw A2AProtocolError.invalidParams(`invalid input for skill ${skill.id}: ${parsed.error.message}`, parsed.error.issues);
    }
    input = parsed.value;
  }
  // The task holds the message, and its reply (remembered for repeats) holds it again.
  // The request's size bounds the message's: no need to measure the message itself.
  const bytes = options.requestBytes === undefined ? messageBytes(message) : requestMessageBytes(options.requestBytes, message);
  services.admitTask(2 * bytes);
  const live = services.createTask({ message, skill, metadata: params.metadata, principal: options.principal, id: options.newTaskId, bytes });
  if (pushConfig !== undefined) services.push!.create(live.id, pushConfig, pushSource);
  return new NewTask(live, services, input);
}
