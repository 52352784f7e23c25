import { z } from "zod";
import { normalizeMessage, normalizeRole } from "./normalize-v03.js";
import { PartSchema } from "./parts.js";
import { IdSchema, MetadataSchema, nonEmptyArray } from "./primitives.js";

/** The metadata key, on a message's `metadata`, naming the skill the message is for. */
export const SKILL_METADATA_KEY = "skillId";

/** Who sent a message. Accepts the 0.3 spellings `"user"` / `"agent"`. */
export const RoleSchema = z.preprocess(normalizeRole, z.enum(["ROLE_USER", "ROLE_AGENT"]));
export type Role = z.output<typeof RoleSchema>;

/** One unit of communication between client and agent. */
export const MessageSchema = z.preprocess(
  normalizeMessage,
  z.object({
    messageId: IdSchema,
    role: RoleSchema,
    parts: nonEmptyArray(PartSchema),
    contextId: IdSchema.optional(),
    taskId: IdSchema.optional(),
    metadata: MetadataSchema.optional(),
    extensions: z.array(z.string()).optional(),
    referenceTaskIds: z.array(IdSchema).optional(),
  }),
);
export type Message = z.output<typeof MessageSchema>;
