import { A2AProtocolError, isTerminalState, type SendMessageParams, type StreamResponse, type Task } from "@a2a/schema";
import { emqxBindingError } from "@a2a/transport/binding";
import { AgentUnavailableError } from "../agent-unavailable.js";
import { taskStream } from "../handlers/task-stream.js";
import { snapshotTask } from "../task-snapshot.js";
import type { OperationContext, OperationHandler, OperationHandlers, OperationStream } from "../operation.js";
import type { EmqxRequests, EmqxRequestState } from "./emqx-requests.js";

/** The longest delay a Node timer keeps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A UUID (the profile asks for v4; any version is accepted, the form is what matters). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The operation handlers on the profile: this project's handlers with the profile's
 * task rules in front of SendMessage and SendStreamingMessage:
 * - the requester generates `Task.id` (`message.taskId`, a UUID): an unknown id starts a
 *   new task under that id; a missing or malformed one is -32602;
 * - a known task that is not waiting for input is answered with its state (blocking:
 *   at its next stop; streaming: its stream from now), never a duplicate task;
 * - a request with a Message Expiry Interval that waits for a task slot past its expiry
 *   is answered -32003 `request_expired`; refusals for capacity (the agent at capacity
 *   or stopping) are -32004 `responder_unavailable`.
 */
export function emqxHandlers(base: OperationHandlers, requests: EmqxRequests): OperationHandlers {
  const send = base.SendMessage as Extract<OperationHandler<"SendMessage">, { streaming: false }>;
  const stream = base.SendStreamingMessage as Extract<OperationHandler<"SendStreamingMessage">, { streaming: true }>;
  return {
    ...base,
    SendMessage: {
      streaming: false,
      async handle(params, ctx) {
        const state = requests.get(ctx.route);
        const plan = await planMessage(params, ctx, state);
        if (plan.kind === "existing") {
          const historyLength = params.configuration?.historyLength ?? ctx.services.replyHistoryLength;
          const live = ctx.services.liveTask(plan.taskId, ctx.principal);
          const task = live === undefined || params.configuration?.returnImmediately === true ? plan.task : await live.nextStop();
          return { task: snapshotTask(task, historyLength) };
        }
        return send.handle(plan.params, plan.ctx).catch(mapCapacity);
      },
    },
    SendStreamingMessage: {
      streaming: true,
      async handle(params, ctx) {
        const state = requests.get(ctx.route);
        const plan = await planMessage(params, ctx, state);
        if (plan.kind === "existing") return existingStream(ctx, plan.taskId, plan.task);
        return stream.handle(plan.params, plan.ctx).catch(mapCapacity);
      },
    },
  };
}

type Plan =
  | { kind: "run"; params: SendMessageParams; ctx: OperationContext }
  | { kind: "existing"; taskId: string; task: Task };

async function planMessage(params: SendMessageParams, ctx: OperationContext, state: EmqxRequestState | undefined): Promise<Plan> {
  const taskId = params.message.taskId;
  if (taskId === undefined || !UUID.test(taskId)) {
    throw A2AProtocolError.invalidParams(
      taskId === undefined
        ? "message.taskId is required on the EMQX A2A profile: the requester generates the Task.id (a UUIDv4) of a new task"
        : `message.taskId ${JSON.stringify(taskId)} is not a UUID; the EMQX A2A profile's Task.id is a UUIDv4 the requester generates`,
      [{ path: "params.message.taskId", message: "must be a UUIDv4" }],
    );
  }
  const { services, principal } = ctx;
  const live = services.liveTask(taskId, principal);
  const task = live?.task ?? (await services.findTask(taskId, principal));
  // Another principal's task: the base handler answers it as unknown (-32001).
  if (task === undefined && (await services.idTaken(taskId))) return { kind: "run", params, ctx };
  if (task === undefined) {
    await waitForSlot(services, state);
    const message = { ...params.message };
    delete message.taskId;
    return { kind: "run", params: { ...params, message }, ctx: { ...ctx, newTaskId: taskId } };
  }
  // A context mismatch and a continuation of an input-required task are this
  // project's rules: the base handler answers them.
  const mismatch = params.message.contextId !== undefined && task.contextId !== undefined && params.message.contextId !== task.contextId;
  if (mismatch || live?.awaitingInput === true) return { kind: "run", params, ctx };
  return { kind: "existing", taskId, task };
}

/** The stream of a task that exists: its events from now, or its final state in one frame. */
async function existingStream(ctx: OperationContext, taskId: string, task: Task): Promise<OperationStream> {
  const live = ctx.services.liveTask(taskId, ctx.principal);
  if (live !== undefined && !isTerminalState(live.task.status.state)) return { taskId, ...taskStream(live, { windows: ctx.services.windows }) };
  const final: StreamResponse = { task: snapshotTask(live?.task ?? task) };
  return {
    taskId,
    events: (async function* () {
      yield final;
    })(),
  };
}

/**
 * A request that expires waits for a free task slot at most until then. The slot is
 * given back at once: the task takes one of its own (another request may come first;
 * it then queues like any task).
 */
async function waitForSlot(services: OperationContext["services"], state: EmqxRequestState | undefined): Promise<void> {
  const expiresAt = state?.expiresAt;
  if (expiresAt === undefined) return;
  const remaining = expiresAt - Date.now();
  if (remaining <= 0) throw expired();
  try {
    // A timer cannot wait past 2^31-1 ms (Node fires it at once, or throws past 2^32-1): an
    // expiry further off than that (MQTT allows 136 years) is as good as none.
    await services.awaitFreeSlot(remaining > MAX_TIMER_MS ? new AbortController().signal : AbortSignal.timeout(remaining));
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError") throw expired();
    // The queue is full: the agent cannot take the request now.
    throw A2AProtocolError.fromJsonRpc(emqxBindingError("responder_unavailable", "The agent is at capacity (its task queue is full); retry later"));
  }
}

function expired(): A2AProtocolError {
  return A2AProtocolError.fromJsonRpc(emqxBindingError("request_expired", "The request's Message Expiry Interval passed before a task slot was free; retry it"));
}

/** Our "at capacity" and "stopping" refusals are the profile's `responder_unavailable`. */
export function mapCapacity(error: unknown): never {
  if (error instanceof AgentUnavailableError) {
    throw A2AProtocolError.fromJsonRpc(emqxBindingError("responder_unavailable", error.message));
  }
  throw error;
}
