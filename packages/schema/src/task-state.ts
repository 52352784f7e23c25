import { z } from "zod";
import { normalizeTaskState } from "./normalize-v03.js";

export const TASK_STATES = [
  "TASK_STATE_UNSPECIFIED",
  "TASK_STATE_SUBMITTED",
  "TASK_STATE_WORKING",
  "TASK_STATE_COMPLETED",
  "TASK_STATE_FAILED",
  "TASK_STATE_CANCELED",
  "TASK_STATE_INPUT_REQUIRED",
  "TASK_STATE_REJECTED",
  "TASK_STATE_AUTH_REQUIRED",
] as const;

/** A task's lifecycle state. Accepts the 0.3 spellings (`"completed"`, `"input-required"`, …). */
export const TaskStateSchema = z.preprocess(normalizeTaskState, z.enum(TASK_STATES));
export type TaskState = z.output<typeof TaskStateSchema>;

/** States after which a task never changes again. */
export const TERMINAL_STATES: readonly TaskState[] = Object.freeze([
  "TASK_STATE_COMPLETED",
  "TASK_STATE_FAILED",
  "TASK_STATE_CANCELED",
  "TASK_STATE_REJECTED",
]);

/** States in which a task waits for the client (input or authentication). */
export const INTERRUPTED_STATES: readonly TaskState[] = Object.freeze([
  "TASK_STATE_INPUT_REQUIRED",
  "TASK_STATE_AUTH_REQUIRED",
]);

export function isTerminalState(s: TaskState): boolean {
  return TERMINAL_STATES.includes(s);
}

export function isInterruptedState(s: TaskState): boolean {
  return INTERRUPTED_STATES.includes(s);
}
