import type { Message, StreamResponse, Task, TaskArtifactUpdateEvent, TaskStatusUpdateEvent } from "@a2a/schema";

/**
 * One event of a stream (SendStreamingMessage, SubscribeToTask) as the client yields it:
 * the A2A `StreamResponse` with a `kind` naming the member it holds, for an exhaustive
 * `switch (event.kind)`. `kind` is the client's; it is not sent on the wire.
 */
export type StreamEvent =
  | { kind: "task"; task: Task }
  | { kind: "message"; message: Message }
  | { kind: "statusUpdate"; statusUpdate: TaskStatusUpdateEvent }
  | { kind: "artifactUpdate"; artifactUpdate: TaskArtifactUpdateEvent };

/** What `kind` a stream event has. */
export type StreamEventKind = StreamEvent["kind"];

/**
 * Tags a checked stream response (a fresh object of the client's own) with its `kind`, in
 * place, and returns the task it belongs to (undefined for a Message).
 */
export function tagStreamEvent(response: StreamResponse): string | undefined {
  const event = response as { kind?: StreamEventKind };
  if ("statusUpdate" in response) {
    event.kind = "statusUpdate";
    return response.statusUpdate.taskId;
  }
  if ("artifactUpdate" in response) {
    event.kind = "artifactUpdate";
    return response.artifactUpdate.taskId;
  }
  if ("task" in response) {
    event.kind = "task";
    return response.task.id;
  }
  event.kind = "message";
  return undefined;
}

/** The A2A `StreamResponse` of an event, without the client's `kind` (to forward it on the wire). */
export function toStreamResponse(event: StreamEvent): StreamResponse {
  const { kind: _kind, ...response } = event;
  return response;
}
