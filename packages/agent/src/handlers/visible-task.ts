import { type Task, A2AProtocolError } from "@a2a/schema";
import type { LiveTask } from "../live-task.js";
import type { OperationContext } from "../operation.js";

/**
 * The task `taskId` if the request may see it. Another principal's task is answered
 * exactly like an unknown one (-32001), so that its existence is not revealed either.
 */
export async function visibleTask(ctx: Pick<OperationContext, "services" | "principal">, taskId: string): Promise<Task> {
  const task = await ctx.services.findTask(taskId, ctx.principal);
  if (task === undefined) throw A2AProtocolError.taskNotFound(taskId);
  return task;
}

/** The live task `taskId` if it runs here and the request may see it. */
export function visibleLive(ctx: Pick<OperationContext, "services" | "principal">, taskId: string): LiveTask | undefined {
  return ctx.services.liveTask(taskId, ctx.principal);
}
