import { z } from "zod";
import { normalizeTaskState } from "./normalize-v03.js";
import { SHORT_TASK_STATE_NAMES } from "./task-state-short-names.js";

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

/** Checked here (not beside the table) so that the table needs no import of this module. */
const SHORT_NAMES: Readonly<Record<TaskState, string>> = SHORT_TASK_STATE_NAMES;
const TERMINAL = new Set<string>([...TERMINAL_STATES, ...TERMINAL_STATES.map((s) => SHORT_NAMES[s])]);
const INTERRUPTED = new Set<string>([...INTERRUPTED_STATES, ...INTERRUPTED_STATES.map((s) => SHORT_NAMES[s])]);

/**
 * True for a terminal state (completed, failed, canceled, rejected). Takes any value, in
 * either spelling (`TASK_STATE_COMPLETED` or 0.3's `completed`), as wire input may be either.
 */
export function isTerminalState(state: unknown): boolean {
  return typeof state === "string" && TERMINAL.has(state);
}

/** True for an interrupted state (input-required, auth-required), in either spelling. */
export function isInterruptedState(state: unknown): boolean {
  return typeof state === "string" && INTERRUPTED.has(state);
}
