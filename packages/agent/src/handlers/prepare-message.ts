import {
  SKILL_METADATA_KEY,
  isTerminalState,
  parseWire,
  type SendMessageParams,
  A2AProtocolError,
  A2AErrorCode,
} from "@a2a/schema";
import { checkContentTypes } from "../capability-checks.js";
import { messageBytes } from "../memory-budget.js";
import type { Principal } from "../principal.js";
import type { AgentRuntime } from "../runtime.js";
import { skillInput, type RegisteredSkill } from "../skill.js";
import type { LiveTask } from "../task-manager.js";

/** A task ready to run or resume: subscribe to it, then call `begin()`. */
export interface PreparedMessage {
  live: LiveTask;
  /** True when the message continues an input-required task. */
  resumed: boolean;
  begin(): void;
}

/** A class rather than an object with a closure: every message makes one. */
class Prepared implements PreparedMessage {
  constructor(
    readonly live: LiveTask,
    readonly resumed: boolean,
    readonly manager: AgentRuntime["manager"],
    /** The skill input of a new task, or the message resuming one. */
    readonly input: unknown,
  ) {}

  begin(): void {
    if (this.resumed) this.manager.resume(this.live, this.input as SendMessageParams["message"]);
    else this.manager.start(this.live, this.input);
  }
}

/**
 * The skill a message is for: `metadata.skillId`, else `operation` (compact
 * requests), else the only skill. Anything else is -32602 naming the choices.
 */
export function resolveSkill(runtime: AgentRuntime, params: SendMessageParams, operation?: string): RegisteredSkill {
  const named = params.message.metadata?.[SKILL_METADATA_KEY] ?? operation;
  if (named !== undefined) {
    const skill = typeof named === "string" ? runtime.skills.get(named) : undefined;
    if (skill !== undefined) return skill;
  }
  if (named === undefined && runtime.skills.size === 1) return runtime.skills.values().next().value as RegisteredSkill;
  const ids = [...runtime.skills.keys()].join(", ");
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
 * Throws the protocol error to answer with; nothing has changed when it throws.
 */
export async function prepareMessage(
  runtime: AgentRuntime,
  params: SendMessageParams,
  options: { operation?: string; principal?: Principal | undefined } = {},
): Promise<PreparedMessage> {
  const { access } = runtime;
  const card = runtime.card();
  const pushConfig = params.configuration?.taskPushNotificationConfig;
  const pushPath = "params.configuration.taskPushNotificationConfig";
  if (pushConfig !== undefined && (runtime.push === undefined || card.capabilities.pushNotifications !== true)) {
    throw A2AProtocolError.pushNotificationNotSupported();
  }
  const acceptedOutputModes = params.configuration?.acceptedOutputModes;
  const message = params.message;
  const { manager } = runtime;
  if (message.taskId !== undefined) {
    const taskId = message.taskId;
    const live = manager.live(taskId);
    const task = live?.task ?? (await manager.store.get(taskId));
    // Another principal's task is answered as unknown: its existence is not revealed.
    if (task === undefined || !access.canSee(task, options.principal)) throw A2AProtocolError.taskNotFound(taskId);
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
    const current = manager.live(taskId);
    if (current === undefined || current.waiter === undefined) {
      throw A2AProtocolError.unsupportedOperation(`task ${taskId} is ${state}; send a message to it only when it is TASK_STATE_INPUT_REQUIRED`);
    }
    const refused = checkContentTypes(card, current.skill, message.parts, acceptedOutputModes);
    if (refused !== undefined) throw refused;
    // The message joins the task's history, and its reply repeats the task.
    runtime.budget?.admit(2 * messageBytes(message));
    if (pushConfig !== undefined) runtime.push!.create(taskId, pushConfig, pushPath, options.principal);
    return new Prepared(current, true, manager, message);
  }

  if (message.contextId !== undefined && access.scoped) await checkContext(runtime, message.contextId, options.principal);
  if (runtime.stopping) throw new A2AProtocolError({ code: A2AErrorCode.InternalError, message: "The agent is stopping; retry with another agent or later" });
  const skill = resolveSkill(runtime, params, options.operation);
  const refused = checkContentTypes(card, skill, message.parts, acceptedOutputModes);
  if (refused !== undefined) throw refused;
  if (pushConfig !== undefined) runtime.push!.check(pushConfig, null, pushPath, options.principal);
  let input: unknown = skillInput(message);
  if (skill.input !== undefined) {
    const parsed = parseWire(skill.input, input, { root: "input" });
    if (!parsed.ok) {
      throw A2AProtocolError.invalidParams(`invalid input for skill ${skill.id}: ${parsed.error.message}`, parsed.error.issues);
    }
    input = parsed.value;
  }
  runtime.limiter.checkAdmission();
  // The task holds the message, and its reply (remembered for repeats) holds it again.
  runtime.budget?.admit(2 * messageBytes(message));
  const create: Parameters<typeof manager.create>[0] = { message, skill };
  const owner = access.ownerFor(options.principal);
  if (owner !== undefined) create.owner = owner;
  if (params.metadata !== undefined) create.metadata = params.metadata;
  const live = manager.create(create);
  if (pushConfig !== undefined) runtime.push!.create(live.task.id, pushConfig, pushPath, options.principal);
  return new Prepared(live, false, manager, input);
}

/**
 * A new task may join a context only if no task of another principal is in it: a skill
 * may keep a conversation's memory by context id.
 */
async function checkContext(runtime: AgentRuntime, contextId: string, principal: Principal | undefined): Promise<void> {
  const visible = runtime.access.visibleTo(principal);
  const tasks = await runtime.manager.store.list({ contextId });
  if (tasks.every(visible)) return;
  throw A2AProtocolError.invalidParams(`message.contextId ${JSON.stringify(contextId)} is a context of another client; omit it to start a new context`, [
      { path: "params.message.contextId", message: "belongs to another client" },
    ]);
}
