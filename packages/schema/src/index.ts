// Primitives and limits
export {
  MAX_ID_LENGTH,
  MAX_TOPIC_SEGMENT_LENGTH,
  IdSchema,
  TopicSegmentSchema,
  isTopicSegment,
  MetadataSchema,
  TimestampSchema,
} from "./primitives.js";

// Data model
export { PartSchema, partKind, isTextPart, isDataPart } from "./parts.js";
export type { Part, PartKind, TextPart, RawPart, UrlPart, DataPart } from "./parts.js";
export { RoleSchema, MessageSchema, SKILL_METADATA_KEY } from "./message.js";
export type { Role, Message } from "./message.js";
export {
  TASK_STATES,
  TaskStateSchema,
  TERMINAL_STATES,
  INTERRUPTED_STATES,
  isTerminalState,
  isInterruptedState,
} from "./task-state.js";
export type { TaskState } from "./task-state.js";
export {
  TaskStatusSchema,
  ArtifactSchema,
  TaskSchema,
  TaskStatusUpdateEventSchema,
  TaskArtifactUpdateEventSchema,
  StreamResponseSchema,
  SendMessageResultSchema,
} from "./task.js";
export type {
  TaskStatus,
  Artifact,
  Task,
  TaskStatusUpdateEvent,
  TaskArtifactUpdateEvent,
  StreamResponse,
  SendMessageResult,
} from "./task.js";
export { SecuritySchemeSchema, SecurityRequirementSchema } from "./security.js";
export type { SecurityScheme, SecurityRequirement } from "./security.js";
export {
  AgentInterfaceSchema,
  AgentExtensionSchema,
  AgentCapabilitiesSchema,
  AgentSkillSchema,
  AgentProviderSchema,
  AgentCardSignatureSchema,
  AgentCardSchema,
} from "./agent-card.js";
export type {
  AgentInterface,
  AgentExtension,
  AgentCapabilities,
  AgentSkill,
  AgentProvider,
  AgentCardSignature,
  AgentCard,
} from "./agent-card.js";

// Operations
export {
  MAX_PAGE_SIZE,
  DEFAULT_PAGE_SIZE,
  PushNotificationAuthenticationSchema,
  TaskPushNotificationConfigSchema,
  CreateTaskPushNotificationConfigParamsSchema,
  SendMessageConfigurationSchema,
  SendMessageParamsSchema,
  GetTaskParamsSchema,
  ListTasksParamsSchema,
  ListTasksResultSchema,
  CancelTaskParamsSchema,
  SubscribeToTaskParamsSchema,
  GetTaskPushNotificationConfigParamsSchema,
  ListTaskPushNotificationConfigsParamsSchema,
  ListTaskPushNotificationConfigsResultSchema,
  DeleteTaskPushNotificationConfigParamsSchema,
  GetExtendedAgentCardParamsSchema,
  EmptyResultSchema,
  OPERATION_PARAMS,
  OPERATION_RESULTS,
} from "./operations.js";
export type {
  PushNotificationAuthentication,
  TaskPushNotificationConfig,
  CreateTaskPushNotificationConfigParams,
  SendMessageConfiguration,
  SendMessageParams,
  GetTaskParams,
  ListTasksParams,
  ListTasksResult,
  CancelTaskParams,
  SubscribeToTaskParams,
  GetTaskPushNotificationConfigParams,
  ListTaskPushNotificationConfigsParams,
  ListTaskPushNotificationConfigsResult,
  DeleteTaskPushNotificationConfigParams,
  GetExtendedAgentCardParams,
  OperationParams,
  OperationResult,
} from "./operations.js";
export { A2A_METHODS, V03_METHOD_ALIASES, isA2AMethod, normalizeMethod, isStreamingMethod } from "./methods.js";
export type { A2AMethod } from "./methods.js";

// JSON-RPC
export {
  JsonRpcIdSchema,
  JsonRpcRequestSchema,
  JsonRpcErrorObjectSchema,
  JsonRpcSuccessResponseSchema,
  JsonRpcErrorResponseSchema,
  JsonRpcResponseSchema,
  successResponse,
  errorResponse,
} from "./json-rpc.js";
export type {
  JsonRpcId,
  JsonRpcRequest,
  JsonRpcErrorObject,
  JsonRpcSuccessResponse,
  JsonRpcErrorResponse,
  JsonRpcResponse,
} from "./json-rpc.js";
export {
  A2AErrorCode,
  ERROR_INFO_TYPE,
  BAD_REQUEST_TYPE,
  A2A_ERROR_DOMAIN,
  ERROR_REASONS,
  A2AProtocolError,
  isA2AProtocolError,
  isJsonRpcErrorObject,
  toJsonRpcError,
  errorData,
  errorReason,
} from "./errors.js";
export type { ErrorInfo, BadRequest, FieldViolation, ParamIssue, A2AProtocolErrorOptions, ToJsonRpcErrorOptions } from "./errors.js";

// Validation
export { WireValidationError, parseWire, parseWireOrThrow, formatPath } from "./validation.js";
export { fastCheck, fastParse } from "./fast-parse.js";
export type { WireIssue, ParseWireResult, ParseWireOptions } from "./validation.js";

// The seed's compact formats
export {
  CompactSkillSchema,
  CompactAgentCardSchema,
  CompactMessageSchema,
  TaskRequestSchema,
  COMPACT_STATUSES,
  CompactStatusSchema,
  TaskResultSchema,
  looksLikeTaskRequest,
} from "./compact.js";
export type { CompactSkill, CompactAgentCard, CompactMessage, TaskRequest, CompactStatus, TaskResult } from "./compact.js";
export {
  SEED_TASK_ID_METADATA_KEY,
  SEED_PARAMS_METADATA_KEY,
  MQTT_PROTOCOL_BINDING,
  taskRequestToSendMessageParams,
  compactStatus,
  taskToTaskResult,
  mqttAgentUrl,
  compactCardFromAgentCard,
  discoveryCardFromAgentCard,
  agentCardFromCompactCard,
} from "./compact-convert.js";
export type { AgentIds, AgentCardDefaults } from "./compact-convert.js";

// A2A 0.3 output forms (what an agent answers a request that asked for 0.3)
export {
  taskStateToV03,
  partToV03,
  messageToV03,
  statusToV03,
  artifactToV03,
  taskToV03,
  streamResponseToV03,
  sendMessageResultToV03,
  pushConfigToV03,
  agentCardToV03,
  resultToV03,
} from "./to-v03.js";
