import { isTerminalState, type Task } from "@a2a/schema";
import { OWNER_MEMBER, type OwnedTask } from "./principal.js";

/**
 * A copy of a task safe to serialise later and to hand to a client: the owner left out,
 * and only the last `historyLength` messages (all when unset, none for 0). The arrays of
 * a task that may still change are copied one level deep (artifacts grow in place when
 * appended to); a terminal task takes no more changes, so its arrays are shared.
 * Messages are always shared (they never change).
 */
export function snapshotTask(task: Task, historyLength?: number): Task {
  // The owner stays with the stored task; clients never see it. Left out of the copy
  // rather than deleted from it: a deleted member slows every later use of the object.
  const final = isTerminalState(task.status.state);
  let out: Task;
  if (historyLength === 0) {
    const { [OWNER_MEMBER]: _owner, history: _history, ...rest } = task as OwnedTask;
    out = rest;
  } else {
    const { [OWNER_MEMBER]: _owner, ...rest } = task as OwnedTask;
    out = rest;
    const history = task.history ?? [];
    if (historyLength !== undefined) out.history = history.slice(-historyLength);
    else out.history = final ? history : [...history];
  }
  if (task.artifacts !== undefined && !final) out.artifacts = task.artifacts.map((a) => ({ ...a, parts: [...a.parts] }));
  return out;
}
