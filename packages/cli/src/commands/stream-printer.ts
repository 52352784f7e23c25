import { toStreamResponse, type StreamEvent, type TaskState } from "@a2a/client";
import type { CommandContext } from "../command.js";
import { formatEvent, formatParts } from "../format.js";
import { exitForState } from "./task-outcome.js";

/**
 * Prints stream events as they arrive (one A2A StreamResponse JSON object per line with
 * --json) and returns the exit code for the last state seen.
 */
export async function printStream(context: CommandContext, events: AsyncIterable<StreamEvent>): Promise<number> {
  let state: TaskState | undefined;
  let taskId: string | undefined;
  let statusText = "";
  const artifactNames = new Map<string, string>();
  for await (const event of events) {
    context.io.stdout.write(context.global.json ? `${JSON.stringify(toStreamResponse(event))}\n` : `${formatEvent(event, artifactNames)}\n`);
    if (event.kind === "task") {
      state = event.task.status.state;
      taskId = event.task.id;
    } else if (event.kind === "statusUpdate") {
      state = event.statusUpdate.status.state;
      taskId = event.statusUpdate.taskId;
      statusText = event.statusUpdate.status.message ? formatParts(event.statusUpdate.status.message.parts) : "";
    }
  }
  return exitForState(context, { state, taskId, statusText });
}
