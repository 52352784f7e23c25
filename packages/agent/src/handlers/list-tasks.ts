import { DEFAULT_PAGE_SIZE, invalidParams } from "@a2a/schema";
import { fromJsonRpcError } from "@a2a/transport/binding";
import type { OperationHandler } from "../operation.js";
import type { TaskFilter } from "../task-store.js";

/** ListTasks: newest status first, paged by an opaque offset token. */
export const listTasks: OperationHandler<"ListTasks"> = {
  streaming: false,
  async handle(params, { runtime }) {
    const { manager } = runtime;
    const filter: TaskFilter = {};
    if (params.contextId !== undefined) filter.contextId = params.contextId;
    if (params.status !== undefined) filter.state = params.status;
    if (params.statusTimestampAfter !== undefined) filter.statusTimestampAfter = params.statusTimestampAfter;
    const all = await manager.store.list(filter);
    const offset = params.pageToken === undefined || params.pageToken === "" ? 0 : Number(params.pageToken);
    if (!Number.isInteger(offset) || offset < 0) {
      throw fromJsonRpcError(invalidParams("pageToken is not one this agent issued", [{ path: "params.pageToken", message: "is invalid" }]));
    }
    const pageSize = params.pageSize ?? DEFAULT_PAGE_SIZE;
    const page = all.slice(offset, offset + pageSize).map((task) => {
      const snap = manager.snapshot(task, params.historyLength);
      if (params.includeArtifacts !== true) delete snap.artifacts;
      return snap;
    });
    const next = offset + pageSize < all.length ? String(offset + pageSize) : "";
    return { tasks: page, nextPageToken: next, pageSize: page.length, totalSize: all.length };
  },
};
