import { EMQX_RESPONDER_PROPERTY, isJsonObject, isValidEmqxId, type EmqxAddress } from "@a2a/transport/binding";

/** Longest Task.id remembered: the map is bounded in bytes as well as entries. */
const MAX_TASK_ID_LENGTH = 256;

/**
 * Which concrete responder holds each task (the profile's Optional Task Handover, and
 * pools): a reply carrying `a2a-responder-agent-id` names it, the most recent one wins,
 * and every later operation on that `Task.id` goes to `{org}/{unit}/{responder}`'s direct
 * request topic. Bounded; the oldest entries are forgotten first.
 */
export class EmqxResponders {
  readonly #tasks = new Map<string, EmqxAddress>();
  readonly #max: number;

  constructor(max = 10_000) {
    this.#max = max;
  }

  /** Learns from one reply of a call to `target` about `taskId` (from the call or the reply). */
  observe(reply: { target: EmqxAddress; taskId: string | undefined; userProperties: Record<string, string> | undefined; result: unknown }): void {
    const { target, taskId, userProperties, result } = reply;
    const responder = userProperties?.[EMQX_RESPONDER_PROPERTY];
    // Only a responder the topic builders accept (the current id rule; `pool` names the unit's
    // pool topic): following any other would make every later call to the task throw.
    if (responder === undefined || responder === "pool" || !isValidEmqxId(responder)) return;
    const id = taskIdOf(result) ?? taskId;
    if (id === undefined || id.length > MAX_TASK_ID_LENGTH) return;
    this.#tasks.delete(id);
    this.#tasks.set(id, { org: target.org, unit: target.unit, agent: responder });
    if (this.#tasks.size > this.#max) this.#tasks.delete(this.#tasks.keys().next().value as string);
  }

  /** Where an operation on `taskId` goes: its responder once known, else `target`. */
  route(target: EmqxAddress, taskId: string | undefined): EmqxAddress {
    const known = taskId === undefined ? undefined : this.#tasks.get(taskId);
    return known !== undefined && known.org === target.org && known.unit === target.unit ? known : target;
  }
}

/** The task an operation's params name: `id` (GetTask, CancelTask, SubscribeToTask), `taskId` (push configs), `message.taskId`. */
export function taskIdOfParams(method: string, params: unknown): string | undefined {
  if (!isJsonObject(params)) return undefined;
  if (method === "SendMessage" || method === "SendStreamingMessage") {
    return isJsonObject(params.message) && typeof params.message.taskId === "string" ? params.message.taskId : undefined;
  }
  if (typeof params.taskId === "string") return params.taskId;
  return typeof params.id === "string" ? params.id : undefined;
}

function taskIdOf(result: unknown): string | undefined {
  if (!isJsonObject(result)) return undefined;
  if (isJsonObject(result.task) && typeof result.task.id === "string") return result.task.id;
  for (const key of ["statusUpdate", "artifactUpdate"]) {
    const event = result[key];
    if (isJsonObject(event) && typeof event.taskId === "string") return event.taskId;
  }
  return typeof result.id === "string" && isJsonObject(result.status) ? result.id : undefined;
}
