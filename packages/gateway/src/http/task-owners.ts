import { createHash } from "node:crypto";
import type { RawReply, RawRequest, RawRequests } from "@a2a/client";
import { A2AProtocolError } from "@a2a/schema";
import { ANONYMOUS, resultTask, TaskOwnership } from "../task-ownership.js";

/** What the bindings need of the client: pass-through calls and streams. */
export type Requests = Pick<RawRequests, "call" | "stream">;

/**
 * Every HTTP caller reaches the agents as the gateway's one MQTT client, so an agent that
 * scopes tasks to their requester sees a single owner. The gateway therefore keeps the
 * owner of each task created through it (the caller's API key or `Authorization`
 * header, hashed) and answers TaskNotFound when another caller names it, as the agent
 * would.
 */
export class TaskOwners {
  readonly #tasks: TaskOwnership;

  constructor(maxTasks?: number) {
    this.#tasks = new TaskOwnership(maxTasks);
  }

  /** The owner key of a caller: its API key when keys are required, else its Authorization, hashed. */
  static callerOf(apiKey: string | undefined, authorization: string | undefined): string {
    const secret = apiKey !== undefined ? `key:${apiKey}` : authorization !== undefined ? `auth:${authorization}` : undefined;
    return secret === undefined ? ANONYMOUS : createHash("sha256").update(secret).digest("base64url").slice(0, 22);
  }

  /** One call of `caller` on `raw`: another caller's task is not found, a new task is recorded. */
  async call(raw: Requests, request: RawRequest, caller: string): Promise<RawReply> {
    const tasks = this.#tasks;
    const denied = tasks.denied(request.params, caller);
    if (denied !== undefined) return { error: A2AProtocolError.taskNotFound(denied) };
    const reply = await raw.call(request);
    if (!("result" in reply)) return reply;
    if (request.method === "ListTasks" || request.method === "tasks/list") return { result: tasks.filterList(reply.result, caller) };
    tasks.remember(resultTask(reply.result), caller);
    return reply;
  }

  /** `raw` as seen by `caller`: other callers' tasks are not found, new tasks are recorded. */
  scope(raw: Requests, caller: string): Requests {
    const tasks = this.#tasks;
    return {
      call: (request: RawRequest) => this.call(raw, request, caller),
      stream(request: RawRequest): AsyncIterable<RawReply> {
        const denied = tasks.denied(request.params, caller);
        if (denied !== undefined) return single({ error: A2AProtocolError.taskNotFound(denied) });
        const frames = raw.stream(request);
        return {
          async *[Symbol.asyncIterator]() {
            for await (const reply of frames) {
              if ("result" in reply) tasks.remember(resultTask(reply.result), caller);
              yield reply;
            }
          },
        };
      },
    };
  }
}

async function* single(reply: RawReply): AsyncGenerator<RawReply> {
  yield reply;
}
