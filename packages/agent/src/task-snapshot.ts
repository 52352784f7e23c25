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
  const { [OWNER_MEMBER]: _owner, ...out } = task as OwnedTask;
  const final = isTerminalState(task.status.state);
  if (task.artifacts !== undefined && !final) out.artifacts = task.artifacts.map((a) => ({ ...a, parts: [...a.parts] }));
  if (historyLength === 0) {
    const { history: _history, ...none } = out;
    return none;
  }
  const history = task.history ?? [];
  if (historyLength !== undefined) out.history = history.slice(-historyLength);
  else out.history = final ? history : [...history];
  return out;
}
