import { type Task, A2AProtocolError } from "@a2a/schema";
import type { OperationContext } from "../operation.js";
import type { LiveTask } from "../task-manager.js";

/**
 * The task `taskId` if the request may see it. Another principal's task is answered
 * exactly like an unknown one (-32001), so that its existence is not revealed either.
 */
export async function visibleTask(ctx: Pick<OperationContext, "runtime" | "principal">, taskId: string): Promise<Task> {
  const task = await ctx.runtime.manager.get(taskId);
  if (task === undefined || !ctx.runtime.access.canSee(task, ctx.principal)) throw A2AProtocolError.taskNotFound(taskId);
  return task;
}

/** The live task `taskId` if it runs here and the request may see it. */
export function visibleLive(ctx: Pick<OperationContext, "runtime" | "principal">, taskId: string): LiveTask | undefined {
  const live = ctx.runtime.manager.live(taskId);
  return live !== undefined && ctx.runtime.access.canSee(live.task, ctx.principal) ? live : undefined;
}
