import { createHash } from "node:crypto";
import type { RawReply, RawRequestOptions, RawRequests } from "@a2a/client";
import { taskNotFound } from "@a2a/schema";

/** What the bindings need of the client: pass-through calls and streams. */
export type Requests = Pick<RawRequests, "call" | "stream">;

/** The caller of requests without an API key or `Authorization` header. */
export const ANONYMOUS = "anonymous";

/**
 * Every HTTP caller reaches the agents as the gateway's one MQTT client, so an agent that
 * scopes tasks to their requester sees a single owner. The gateway therefore keeps the
 * owner of each task created through it (the caller's API key or `Authorization`
 * header, hashed) and answers TaskNotFound when another caller names it, as the agent
 * would. Tasks it does not know (created elsewhere, or forgotten beyond `maxTasks`) are
 * served to anonymous callers only.
 */
export class TaskOwners {
  readonly #owners = new Map<string, string>();
  readonly #max: number;

  constructor(maxTasks = 100_000) {
    this.#max = maxTasks;
  }

  /** The owner key of a caller: its API key when keys are required, else its Authorization, hashed. */
  static callerOf(apiKey: string | undefined, authorization: string | undefined): string {
    const secret = apiKey !== undefined ? `key:${apiKey}` : authorization !== undefined ? `auth:${authorization}` : undefined;
    return secret === undefined ? ANONYMOUS : createHash("sha256").update(secret).digest("base64url").slice(0, 22);
  }

  /** `raw` as seen by `caller`: other callers' tasks are not found, new tasks are recorded. */
  scope(raw: Requests, caller: string): Requests {
    return {
      call: async (agentId: string, method: string, params: unknown, options?: RawRequestOptions): Promise<RawReply> => {
        const denied = this.#denied(params, caller);
        if (denied !== undefined) return { error: taskNotFound(denied) };
        const reply = await raw.call(agentId, method, params, options);
        if ("result" in reply) {
          if (method === "ListTasks") return { result: this.#filterList(reply.result, caller) };
          this.#record(reply.result, caller);
        }
        return reply;
      },
      stream: (agentId: string, method: string, params: unknown, options?: RawRequestOptions): AsyncIterable<RawReply> => {
        const denied = this.#denied(params, caller);
        if (denied !== undefined) return single({ error: taskNotFound(denied) });
        const frames = raw.stream(agentId, method, params, options);
        const owners = this;
        return {
          async *[Symbol.asyncIterator]() {
            for await (const reply of frames) {
              if ("result" in reply) owners.#record(reply.result, caller);
              yield reply;
            }
          },
        };
      },
    };
  }

  /** The task id a request names when the caller may not see it. */
  #denied(params: unknown, caller: string): string | undefined {
    const id = namedTask(params);
    if (id === undefined) return undefined;
    const owner = this.#owners.get(id);
    if (owner === caller || (owner === undefined && caller === ANONYMOUS)) return undefined;
    return id;
  }

  #record(result: unknown, caller: string): void {
    const id = resultTask(result);
    if (id === undefined || this.#owners.has(id)) return;
    if (this.#owners.size >= this.#max) this.#owners.delete(this.#owners.keys().next().value!);
    this.#owners.set(id, caller);
  }

  #filterList(result: unknown, caller: string): unknown {
    const list = result as { tasks?: unknown };
    if (typeof result !== "object" || result === null || !Array.isArray(list.tasks)) return result;
    const tasks = list.tasks.filter((t) => {
      const id = (t as { id?: unknown })?.id;
      const owner = typeof id === "string" ? this.#owners.get(id) : undefined;
      return owner === caller || (owner === undefined && caller === ANONYMOUS);
    });
    return tasks.length === list.tasks.length ? result : { ...(result as object), tasks };
  }
}

async function* single(reply: RawReply): AsyncGenerator<RawReply> {
  yield reply;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The task a request's params name: `id` (get, cancel, subscribe), `taskId` (push configs), `message.taskId` (send). */
function namedTask(params: unknown): string | undefined {
  if (typeof params !== "object" || params === null) return undefined;
  const p = params as { id?: unknown; taskId?: unknown; message?: { taskId?: unknown } };
  return str(p.taskId) ?? str(p.message?.taskId) ?? str(p.id);
}

/** The task a result or stream event is about, in 1.0 (`task`, `statusUpdate`, ...) or 0.3 (`kind`) form. */
function resultTask(result: unknown): string | undefined {
  if (typeof result !== "object" || result === null) return undefined;
  const r = result as Record<string, { id?: unknown; taskId?: unknown } | unknown> & { kind?: unknown; id?: unknown; taskId?: unknown };
  const task = r.task as { id?: unknown } | undefined;
  const update = (r.statusUpdate ?? r.artifactUpdate ?? r.message) as { taskId?: unknown } | undefined;
  if (task !== undefined) return str(task.id);
  if (update !== undefined) return str(update.taskId);
  if (r.kind === "task") return str(r.id);
  return str(r.taskId);
}
