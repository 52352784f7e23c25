// The seed's compact JSON formats (retained discovery card, Task Request, Task
// Result), validated as strictly as the 1.0 model but in their own shapes.
import { z } from "zod";
import { RoleSchema } from "./message.js";
import { isPlainObject } from "./normalize-v03.js";
import { PartSchema } from "./parts.js";
import { IdSchema, MetadataSchema, nonEmptyArray, NonEmptyStringSchema } from "./primitives.js";

export const CompactSkillSchema = z.object({
  id: NonEmptyStringSchema,
  name: NonEmptyStringSchema,
  description: z.string().optional(),
});
export type CompactSkill = z.output<typeof CompactSkillSchema>;

/** The seed's discovery card: what a seed client reads from `discovery/{org}/{agent}`. */
export const CompactAgentCardSchema = z.object({
  protocolVersion: z.string().optional(),
  name: NonEmptyStringSchema,
  description: z.string().optional(),
  url: z.string().optional(),
  preferredTransport: z.string().optional(),
  skills: z.array(CompactSkillSchema),
});
export type CompactAgentCard = z.output<typeof CompactAgentCardSchema>;

/** The seed's message inside a Task Request: `{role, content: {parts}}`. */
export const CompactMessageSchema = z.object({
  role: RoleSchema.optional(),
  content: z.object({ parts: nonEmptyArray(PartSchema) }),
});
export type CompactMessage = z.output<typeof CompactMessageSchema>;

// Python's isoformat() may omit the zone; accept it rather than reject seed clients.
const SeedTimestampSchema = z.iso.datetime({ offset: true, local: true, message: "must be an ISO 8601 timestamp" });

/**
 * A seed Task Request. `params.message`, when present, is either a compact message or
 * plain text; every other member of `params` is free-form.
 */
export const TaskRequestSchema = z.object({
  id: IdSchema,
  taskId: IdSchema.optional(),
  /** The skill to run. */
  operation: NonEmptyStringSchema,
  timestamp: SeedTimestampSchema.optional(),
  params: z
    .looseObject({
      /** A compact message, or plain text (the seed's tools read `params.message`). */
      message: z.union([z.string(), CompactMessageSchema]).optional(),
    })
    .optional(),
  /** Continues a conversation (multi-turn); not in the seed, optional. */
  contextId: IdSchema.optional(),
  /** Topic for the result instead of `{org}/{agent}/results` (see the binding). */
  replyTo: z.string().min(1).optional(),
});
export type TaskRequest = z.output<typeof TaskRequestSchema>;

/** The seed's lowercase states. */
export const COMPACT_STATUSES = [
  "submitted",
  "working",
  "completed",
  "failed",
  "canceled",
  "input-required",
  "rejected",
  "auth-required",
  "unknown",
] as const;
export const CompactStatusSchema = z.enum(COMPACT_STATUSES);
export type CompactStatus = z.output<typeof CompactStatusSchema>;

/** A seed Task Result, published on `{org}/{agent}/results`. */
export const TaskResultSchema = z.object({
  id: IdSchema,
  taskId: IdSchema.optional(),
  status: CompactStatusSchema,
  result: z
    .object({
      status: CompactStatusSchema,
      result: z.unknown().optional(),
      error: z.string().optional(),
    })
    .optional(),
  /** Why the task failed or was rejected. */
  error: z.string().optional(),
  contextId: IdSchema.optional(),
  metadata: MetadataSchema.optional(),
});
export type TaskResult = z.output<typeof TaskResultSchema>;

/** True for a payload that is a compact Task Request rather than JSON-RPC. */
export function looksLikeTaskRequest(v: unknown): boolean {
  return isPlainObject(v) && !("jsonrpc" in v) && "operation" in v;
}
