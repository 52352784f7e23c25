import { z } from "zod";
import { MessageSchema } from "./message.js";
import {
  normalizeArtifactUpdate,
  normalizeStatusUpdate,
  normalizeTask,
  wrapByKind,
} from "./normalize-v03.js";
import { PartSchema } from "./parts.js";
import { IdSchema, MetadataSchema, nonEmptyArray, TimestampSchema } from "./primitives.js";
import { TaskStateSchema } from "./task-state.js";

export const TaskStatusSchema = z.object({
  state: TaskStateSchema,
  message: MessageSchema.optional(),
  timestamp: TimestampSchema.optional(),
});
export type TaskStatus = z.output<typeof TaskStatusSchema>;

/** A task output. */
export const ArtifactSchema = z.object({
  artifactId: IdSchema,
  parts: nonEmptyArray(PartSchema),
  name: z.string().optional(),
  description: z.string().optional(),
  metadata: MetadataSchema.optional(),
  extensions: z.array(z.string()).optional(),
});
export type Artifact = z.output<typeof ArtifactSchema>;

export const TaskSchema = z.preprocess(
  normalizeTask,
  z.object({
    id: IdSchema,
    contextId: IdSchema.optional(),
    status: TaskStatusSchema,
    artifacts: z.array(ArtifactSchema).optional(),
    history: z.array(MessageSchema).optional(),
    metadata: MetadataSchema.optional(),
  }),
);
export type Task = z.output<typeof TaskSchema>;

/** A change of a task's status. Accepts 0.3 events (`kind`, `final` are dropped). */
export const TaskStatusUpdateEventSchema = z.preprocess(
  normalizeStatusUpdate,
  z.object({
    taskId: IdSchema,
    contextId: IdSchema,
    status: TaskStatusSchema,
    metadata: MetadataSchema.optional(),
  }),
);
export type TaskStatusUpdateEvent = z.output<typeof TaskStatusUpdateEventSchema>;

/** A new or extended artifact. */
export const TaskArtifactUpdateEventSchema = z.preprocess(
  normalizeArtifactUpdate,
  z.object({
    taskId: IdSchema,
    contextId: IdSchema,
    artifact: ArtifactSchema,
    append: z.boolean().optional(),
    lastChunk: z.boolean().optional(),
    metadata: MetadataSchema.optional(),
  }),
);
export type TaskArtifactUpdateEvent = z.output<typeof TaskArtifactUpdateEventSchema>;

function exactlyOne(keys: readonly string[]) {
  return (v: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const present = keys.filter((k) => v[k] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message:
          present.length === 0
            ? `must have exactly one of ${keys.join(", ")}`
            : `must have exactly one of ${keys.join(", ")} (got ${present.join(", ")})`,
      });
    }
  };
}

const STREAM_KEYS = ["task", "message", "statusUpdate", "artifactUpdate"] as const;

/** One event of a stream: exactly one of task, message, statusUpdate, artifactUpdate. */
export const StreamResponseSchema = z.preprocess(
  wrapByKind(STREAM_KEYS),
  z
    .object({
      task: TaskSchema.optional(),
      message: MessageSchema.optional(),
      statusUpdate: TaskStatusUpdateEventSchema.optional(),
      artifactUpdate: TaskArtifactUpdateEventSchema.optional(),
    })
    .superRefine(exactlyOne(STREAM_KEYS))
    .transform((v) => v as StreamResponse),
);
export type StreamResponse =
  | { task: Task }
  | { message: z.output<typeof MessageSchema> }
  | { statusUpdate: TaskStatusUpdateEvent }
  | { artifactUpdate: TaskArtifactUpdateEvent };

const RESULT_KEYS = ["task", "message"] as const;

/** The result of SendMessage: exactly one of task, message. */
export const SendMessageResultSchema = z.preprocess(
  wrapByKind(RESULT_KEYS),
  z
    .object({ task: TaskSchema.optional(), message: MessageSchema.optional() })
    .superRefine(exactlyOne(RESULT_KEYS))
    .transform((v) => v as SendMessageResult),
);
export type SendMessageResult = { task: Task } | { message: z.output<typeof MessageSchema> };
