import type { Task } from "@a2a/schema";
import type { TaskFilter } from "./task-store.js";

/** Milliseconds of a task's status timestamp; 0 when it has none or it is invalid. */
export function statusTime(task: Task): number {
  const ms = task.status.timestamp === undefined ? Number.NaN : Date.parse(task.status.timestamp);
  return Number.isNaN(ms) ? 0 : ms;
}

/** True when `task` passes `filter` (timestamps compared as instants, not as strings). */
export function matchesFilter(task: Task, filter: TaskFilter, afterMs?: number): boolean {
  if (filter.contextId !== undefined && task.contextId !== filter.contextId) return false;
  if (filter.state !== undefined && task.status.state !== filter.state) return false;
  if (filter.statusTimestampAfter !== undefined) {
    const after = afterMs ?? Date.parse(filter.statusTimestampAfter);
    if (statusTime(task) < after) return false;
  }
  return true;
}

/** Newest status first; equal timestamps by id, descending, so that the order is total. */
export function newestFirst(a: Task, b: Task): number {
  return statusTime(b) - statusTime(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
