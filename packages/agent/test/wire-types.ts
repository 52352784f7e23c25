import type { Task, TaskArtifactUpdateEvent, TaskStatusUpdateEvent } from "@a2a/schema";

/** The result of a SendMessage that made a task, as the tests read it off the wire. */
export interface SentTask {
  task: Task;
}

/** A StreamResponse of a task's event (a push notification body, a stream frame): at most one member. */
export interface WireEvent {
  statusUpdate?: TaskStatusUpdateEvent;
  artifactUpdate?: TaskArtifactUpdateEvent;
}

/** The seed's compact Task Result, as published to a results topic. */
export interface CompactResult {
  id: string;
  status: string;
  error?: string;
}
