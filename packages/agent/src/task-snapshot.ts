import type { Task } from "@a2a/schema";
import { withoutOwner } from "./principal.js";

/**
 * A copy of a task safe to serialise later and to hand to a client: arrays copied one
 * level deep (artifacts grow in place when appended to), messages shared (they never
 * change), the owner left out, and only the last `historyLength` messages (all when
 * unset, none for 0).
 */
export function snapshotTask(task: Task, historyLength?: number): Task {
  // The owner stays with the stored task; clients never see it.
  const out: Task = withoutOwner({ ...task });
  if (task.artifacts !== undefined) out.artifacts = task.artifacts.map((a) => ({ ...a, parts: [...a.parts] }));
  const history = task.history ?? [];
  if (historyLength === 0) delete out.history;
  else out.history = historyLength === undefined ? [...history] : history.slice(-historyLength);
  return out;
}
