import { type StreamResponse, A2AProtocolError } from "@a2a/schema";
import { RESUME_EXTENSION_URI } from "@a2a/transport/binding";
import type { FrameMembers, OperationContext, OperationStream } from "../operation.js";
import { snapshotTask } from "../task-snapshot.js";
import { taskStream } from "./task-stream.js";
import { visibleLive, visibleTask } from "./visible-task.js";

/**
 * The resume point of a SubscribeToTask: `metadata["urn:a2a-mqtt:ext:resume:v1"].afterEventSeq`,
 * a non-negative integer. Undefined when the request asks for none; -32602 when malformed.
 */
export function resumePoint(metadata: Record<string, unknown> | undefined): number | undefined {
  const value = metadata?.[RESUME_EXTENSION_URI];
  if (value === undefined) return undefined;
  const after = typeof value === "object" && value !== null ? (value as { afterEventSeq?: unknown }).afterEventSeq : undefined;
  if (typeof after !== "number" || !Number.isSafeInteger(after) || after < 0) {
    throw A2AProtocolError.invalidParams("the resume point must be a non-negative integer event number", [
        { path: `params.metadata.${RESUME_EXTENSION_URI}.afterEventSeq`, message: "must be a non-negative integer" },
      ]);
  }
  return after;
}

/**
 * SubscribeToTask resuming after event `after`: a live task streams the events after it
 * (or its current Task, marked as a gap, when they are gone), then its updates. A task
 * that ended meanwhile answers the missed events up to its end when they are still held,
 * else its final Task (marked as a gap) in one final frame: the client asked for what
 * it missed, which includes the end.
 */
export async function resumeStream(ctx: OperationContext, taskId: string, after: number): Promise<OperationStream> {
  const { windows } = ctx.services;
  // Only the task's owner resumes it; another's task is answered like an unknown one.
  const live = visibleLive(ctx, taskId);
  if (live !== undefined && !live.ended) {
    return { taskId, ...taskStream(live, { windows, resumeAfter: after }) };
  }
  const task = await visibleTask(ctx, taskId);
  const window = windows?.get(taskId);
  const missed = window?.since(after);
  const frames: Array<{ event: StreamResponse; members: FrameMembers | undefined }> = [];
  if (missed !== undefined && missed.length > 0) missed.forEach((event, i) => frames.push({ event, members: { eventSeq: after + 1 + i } }));
  else {
    const members: FrameMembers = { eventSeq: window?.last ?? after };
    if (missed === undefined) members.gap = true;
    frames.push({ event: { task: snapshotTask(task) }, members });
  }
  return { taskId, ...replayFrames(frames) };
}

/** A fixed list of frames as a stream (the last one ends it). */
function replayFrames(frames: Array<{ event: StreamResponse; members: FrameMembers | undefined }>): Required<Pick<OperationStream, "events" | "frameMembers">> {
  let current: FrameMembers | undefined;
  const events = (async function* () {
    for (const frame of frames) {
      current = frame.members;
      yield frame.event;
    }
  })();
  return { events, frameMembers: () => current };
}
