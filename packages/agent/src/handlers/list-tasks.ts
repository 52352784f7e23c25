import { DEFAULT_PAGE_SIZE, type Task, A2AProtocolError } from "@a2a/schema";
import type { OperationHandler } from "../operation.js";
import { snapshotTask } from "../task-snapshot.js";
import { newestFirst, statusTime } from "../task-filter.js";
import type { TaskFilter } from "../task-store.js";

interface Cursor {
  /** Status time (ms) of the last task returned. */
  t: number;
  /** Its id. */
  i: string;
}

function encodeCursor(task: Task): string {
  return Buffer.from(JSON.stringify({ t: statusTime(task), i: task.id } satisfies Cursor)).toString("base64url");
}

function decodeCursor(token: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown;
    if (typeof value === "object" && value !== null) {
      const { t, i } = value as Record<string, unknown>;
      if (typeof t === "number" && Number.isFinite(t) && typeof i === "string") return { t, i };
    }
  } catch {
    // reported below
  }
  throw A2AProtocolError.invalidParams("pageToken is not one this agent issued; start again without it", [{ path: "params.pageToken", message: "is invalid" }]);
}

/** True when `task` comes after the cursor in newest-first order. */
function after(task: Task, cursor: Cursor): boolean {
  const t = statusTime(task);
  return t < cursor.t || (t === cursor.t && task.id < cursor.i);
}

/**
 * ListTasks: newest status first, filtered by context, state and status time. The
 * page token is a cursor (status time and id of the last task returned), so pages
 * neither repeat nor skip tasks when newer tasks arrive in between.
 */
export const listTasks: OperationHandler<"ListTasks"> = {
  streaming: false,
  async handle(params, { services, principal }) {
    const filter: TaskFilter = {};
    if (params.contextId !== undefined) filter.contextId = params.contextId;
    if (params.status !== undefined) filter.state = params.status;
    if (params.statusTimestampAfter !== undefined) filter.statusTimestampAfter = params.statusTimestampAfter;
    const cursor = params.pageToken === undefined || params.pageToken === "" ? undefined : decodeCursor(params.pageToken);
    // Only the caller's tasks are listed and counted (A2A: "visible to the authenticated client").
    const all = (await services.listTasks(filter, principal)).sort(newestFirst);
    const rest = cursor === undefined ? all : all.filter((task) => after(task, cursor));
    const pageSize = params.pageSize ?? DEFAULT_PAGE_SIZE;
    const page = rest.slice(0, pageSize);
    const tasks = page.map((task) => {
      const snap = snapshotTask(task, params.historyLength);
      if (params.includeArtifacts !== true) delete snap.artifacts;
      return snap;
    });
    const last = page.at(-1);
    const nextPageToken = rest.length > pageSize && last !== undefined ? encodeCursor(last) : "";
    return { tasks, nextPageToken, pageSize, totalSize: all.length };
  },
};
