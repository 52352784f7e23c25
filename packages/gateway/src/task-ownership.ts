/**
 * Owners of tasks created through a proxy, for proxies whose callers all reach the
 * backend under one identity (the gateway's MQTT client, an exposing agent's HTTP
 * calls): a bounded map from task id to the caller that created it.
 */

/** The caller without an identity (no API key, no token, no reply route). */
export const ANONYMOUS = "anonymous";

export class TaskOwnership {
  readonly #owners = new Map<string, string>();
  readonly #max: number;

  constructor(maxTasks = 100_000) {
    this.#max = maxTasks;
  }

  /**
   * May `caller` see task `id`? Its owner may; a task of unknown owner (created
   * elsewhere, or forgotten past `maxTasks`) only anonymous callers may.
   */
  visible(id: string, caller: string): boolean {
    const owner = this.#owners.get(id);
    return owner === caller || (owner === undefined && caller === ANONYMOUS);
  }

  /** Remembers the first caller seen with a task as its owner. */
  remember(id: string | undefined, caller: string): void {
    if (id === undefined || this.#owners.has(id)) return;
    if (this.#owners.size >= this.#max) this.#owners.delete(this.#owners.keys().next().value!);
    this.#owners.set(id, caller);
  }

  /** The task a request names and `caller` may not see, if any. */
  denied(params: unknown, caller: string): string | undefined {
    const id = namedTask(params);
    return id === undefined || this.visible(id, caller) ? undefined : id;
  }

  /** A ListTasks result with only the tasks `caller` may see. */
  filterList(result: unknown, caller: string): unknown {
    const list = result as { tasks?: unknown };
    if (typeof result !== "object" || result === null || !Array.isArray(list.tasks)) return result;
    const tasks = list.tasks.filter((t) => {
      const id = (t as { id?: unknown } | null)?.id;
      return typeof id === "string" && this.visible(id, caller);
    });
    return tasks.length === list.tasks.length ? result : { ...result, tasks };
  }
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The task a request's params name: `taskId` (push configs), `message.taskId` (send), `id` (get, cancel, subscribe). */
export function namedTask(params: unknown): string | undefined {
  if (typeof params !== "object" || params === null) return undefined;
  const p = params as { id?: unknown; taskId?: unknown; message?: { taskId?: unknown } };
  return str(p.taskId) ?? str(p.message?.taskId) ?? str(p.id);
}

/** The task a result or stream event is about, in 1.0 (`task`, `statusUpdate`, ...) or 0.3 (`kind`) form. */
export function resultTask(result: unknown): string | undefined {
  if (typeof result !== "object" || result === null) return undefined;
  const r = result as { task?: { id?: unknown }; statusUpdate?: { taskId?: unknown }; artifactUpdate?: { taskId?: unknown }; message?: { taskId?: unknown }; kind?: unknown; id?: unknown; taskId?: unknown };
  if (r.task !== undefined) return str(r.task.id);
  const update = r.statusUpdate ?? r.artifactUpdate ?? r.message;
  if (update !== undefined) return str(update.taskId);
  if (r.kind === "task") return str(r.id);
  return str(r.taskId);
}
