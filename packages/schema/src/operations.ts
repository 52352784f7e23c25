import { z } from "zod";
import { AgentCardSchema } from "./agent-card.js";
import { MessageSchema } from "./message.js";
import type { A2AMethod } from "./methods.js";
import {
  normalizeListConfigsParams,
  normalizeListConfigsResult,
  normalizePushConfig,
  normalizeSendConfiguration,
  normalizeTaskConfigRef,
} from "./normalize-params-v03.js";
import { IdSchema, MetadataSchema, NonEmptyStringSchema, TimestampSchema, UrlSchema } from "./primitives.js";
import { SendMessageResultSchema, StreamResponseSchema, TaskSchema } from "./task.js";
import { TaskStateSchema } from "./task-state.js";

/** Largest page a list operation returns. */
export const MAX_PAGE_SIZE = 100;
/** Page size used when a ListTasks request sets none. */
export const DEFAULT_PAGE_SIZE = 50;

const tenant = z.string().optional();
const historyLength = z.number().int("must be an integer").min(0, "must be >= 0").optional();
const pageSize = z.number().int("must be an integer").min(1, "must be >= 1").max(MAX_PAGE_SIZE, `must be <= ${MAX_PAGE_SIZE}`);

/** `Authorization: {scheme} {credentials}` for push notification webhooks. */
export const PushNotificationAuthenticationSchema = z.object({
  scheme: NonEmptyStringSchema,
  credentials: z.string().optional(),
});
export type PushNotificationAuthentication = z.output<typeof PushNotificationAuthenticationSchema>;

/** A webhook for a task's events. `taskId` is empty inside SendMessage's configuration. */
export const TaskPushNotificationConfigSchema = z.preprocess(
  normalizePushConfig,
  z.object({
    id: IdSchema.optional(),
    taskId: IdSchema.optional(),
    url: UrlSchema,
    token: z.string().optional(),
    authentication: PushNotificationAuthenticationSchema.optional(),
    tenant,
  }),
);
export type TaskPushNotificationConfig = z.output<typeof TaskPushNotificationConfigSchema>;

/** Params of CreateTaskPushNotificationConfig: a config whose taskId is set. */
export const CreateTaskPushNotificationConfigParamsSchema = TaskPushNotificationConfigSchema.pipe(
  z.custom<TaskPushNotificationConfig & { taskId: string }>().superRefine((v, ctx) => {
    if (v.taskId === undefined) ctx.addIssue({ code: "custom", path: ["taskId"], message: "is required" });
  }),
);
export type CreateTaskPushNotificationConfigParams = z.output<typeof CreateTaskPushNotificationConfigParamsSchema>;

export const SendMessageConfigurationSchema = z.preprocess(
  normalizeSendConfiguration,
  z.object({
    acceptedOutputModes: z.array(z.string()).optional(),
    taskPushNotificationConfig: TaskPushNotificationConfigSchema.optional(),
    historyLength,
    returnImmediately: z.boolean().optional(),
  }),
);
export type SendMessageConfiguration = z.output<typeof SendMessageConfigurationSchema>;

export const SendMessageParamsSchema = z.object({
  message: MessageSchema,
  configuration: SendMessageConfigurationSchema.optional(),
  metadata: MetadataSchema.optional(),
  tenant,
});
export type SendMessageParams = z.output<typeof SendMessageParamsSchema>;

export const GetTaskParamsSchema = z.object({ id: IdSchema, historyLength, tenant });
export type GetTaskParams = z.output<typeof GetTaskParamsSchema>;

export const ListTasksParamsSchema = z.object({
  contextId: IdSchema.optional(),
  status: TaskStateSchema.optional(),
  pageSize: pageSize.optional(),
  pageToken: z.string().optional(),
  historyLength,
  statusTimestampAfter: TimestampSchema.optional(),
  includeArtifacts: z.boolean().optional(),
  tenant,
});
export type ListTasksParams = z.output<typeof ListTasksParamsSchema>;

export const ListTasksResultSchema = z.object({
  tasks: z.array(TaskSchema),
  nextPageToken: z.string(),
  pageSize: z.number().int().min(0),
  totalSize: z.number().int().min(0),
});
export type ListTasksResult = z.output<typeof ListTasksResultSchema>;

export const CancelTaskParamsSchema = z.object({ id: IdSchema, metadata: MetadataSchema.optional(), tenant });
export type CancelTaskParams = z.output<typeof CancelTaskParamsSchema>;

/** `metadata` carries binding extensions, e.g. the resume point of docs/binding.md section 5.1. */
export const SubscribeToTaskParamsSchema = z.object({ id: IdSchema, metadata: MetadataSchema.optional(), tenant });
export type SubscribeToTaskParams = z.output<typeof SubscribeToTaskParamsSchema>;

const TaskConfigRefSchema = z.preprocess(normalizeTaskConfigRef, z.object({ taskId: IdSchema, id: IdSchema, tenant }));

export const GetTaskPushNotificationConfigParamsSchema = TaskConfigRefSchema;
export type GetTaskPushNotificationConfigParams = z.output<typeof GetTaskPushNotificationConfigParamsSchema>;

export const DeleteTaskPushNotificationConfigParamsSchema = TaskConfigRefSchema;
export type DeleteTaskPushNotificationConfigParams = z.output<typeof DeleteTaskPushNotificationConfigParamsSchema>;

export const ListTaskPushNotificationConfigsParamsSchema = z.preprocess(
  normalizeListConfigsParams,
  z.object({ taskId: IdSchema, pageSize: pageSize.optional(), pageToken: z.string().optional(), tenant }),
);
export type ListTaskPushNotificationConfigsParams = z.output<typeof ListTaskPushNotificationConfigsParamsSchema>;

export const ListTaskPushNotificationConfigsResultSchema = z.preprocess(
  normalizeListConfigsResult,
  z.object({ configs: z.array(TaskPushNotificationConfigSchema), nextPageToken: z.string().optional() }),
);
export type ListTaskPushNotificationConfigsResult = z.output<typeof ListTaskPushNotificationConfigsResultSchema>;

export const GetExtendedAgentCardParamsSchema = z.object({ tenant });
export type GetExtendedAgentCardParams = z.output<typeof GetExtendedAgentCardParamsSchema>;

/** DeleteTaskPushNotificationConfig answers with an empty result (`{}` or `null`). */
export const EmptyResultSchema = z.union([z.null(), z.object({})]).transform(() => ({}));

/**
 * The params schema of each method. A request without `params` is checked as `{}`,
 * so required fields are reported by name.
 */
export const OPERATION_PARAMS = {
  SendMessage: SendMessageParamsSchema,
  SendStreamingMessage: SendMessageParamsSchema,
  GetTask: GetTaskParamsSchema,
  ListTasks: ListTasksParamsSchema,
  CancelTask: CancelTaskParamsSchema,
  SubscribeToTask: SubscribeToTaskParamsSchema,
  CreateTaskPushNotificationConfig: CreateTaskPushNotificationConfigParamsSchema,
  GetTaskPushNotificationConfig: GetTaskPushNotificationConfigParamsSchema,
  ListTaskPushNotificationConfigs: ListTaskPushNotificationConfigsParamsSchema,
  DeleteTaskPushNotificationConfig: DeleteTaskPushNotificationConfigParamsSchema,
  GetExtendedAgentCard: GetExtendedAgentCardParamsSchema,
} as const satisfies Record<A2AMethod, z.ZodType>;

/** The result schema of each method; for streaming methods, the schema of one event. */
export const OPERATION_RESULTS = {
  SendMessage: SendMessageResultSchema,
  SendStreamingMessage: StreamResponseSchema,
  GetTask: TaskSchema,
  ListTasks: ListTasksResultSchema,
  CancelTask: TaskSchema,
  SubscribeToTask: StreamResponseSchema,
  CreateTaskPushNotificationConfig: TaskPushNotificationConfigSchema,
  GetTaskPushNotificationConfig: TaskPushNotificationConfigSchema,
  ListTaskPushNotificationConfigs: ListTaskPushNotificationConfigsResultSchema,
  DeleteTaskPushNotificationConfig: EmptyResultSchema,
  GetExtendedAgentCard: AgentCardSchema,
} as const satisfies Record<A2AMethod, z.ZodType>;

export type OperationParams<M extends A2AMethod> = z.output<(typeof OPERATION_PARAMS)[M]>;
export type OperationResult<M extends A2AMethod> = z.output<(typeof OPERATION_RESULTS)[M]>;
