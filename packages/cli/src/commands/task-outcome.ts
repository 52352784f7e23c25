import type { TaskState } from "@a2a/client";
import type { CommandContext } from "../command.js";
import { EXIT } from "../errors.js";
import { shortState } from "../format.js";
import { a2a } from "../invocation.js";

const FAILED: ReadonlySet<TaskState> = new Set(["TASK_STATE_FAILED", "TASK_STATE_REJECTED", "TASK_STATE_CANCELED", "TASK_STATE_AUTH_REQUIRED"]);

/**
 * Exit 0 for a task that completed, needs input or is still running; 1 (with a note on
 * stderr) for one that failed, was rejected or canceled, or needs authentication.
 */
export function exitForState(
  context: CommandContext,
  { state, taskId, statusText }: { state: TaskState | undefined; taskId: string | undefined; statusText: string },
): number {
  if (state === undefined) return EXIT.OK;
  const agent = context.positionals[0] ?? "<agent>";
  if (state === "TASK_STATE_INPUT_REQUIRED") {
    context.io.stderr.write(`Task ${taskId} needs input; answer with: ${a2a(`send ${agent}`)} --task ${taskId} --text "..."\n`);
    return EXIT.OK;
  }
  if (FAILED.has(state)) {
    context.io.stderr.write(`Task ${taskId} ended ${shortState(state)}${statusText ? `: ${statusText}` : "."}\n`);
    return EXIT.FAILURE;
  }
  return EXIT.OK;
}
