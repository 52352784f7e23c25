/**
 * @a2a/client: discover A2A agents on an MQTT broker and call them.
 *
 * @example
 * import { A2AClient, textOf } from "@a2a/client";
 * const client = new A2AClient({ broker: "mqtt://localhost:1883" });
 * const result = await client.agent("my-org/echo").sendMessage("hello");
 * console.log(textOf(result));
 * await client.close();
 */
export { A2AClient } from "./client.js";
export type { A2AClientOptions, AgentsOptions, CallOptions, StreamOptions } from "./client-options.js";
export { AgentHandle, type SendTextOptions } from "./agent-handle.js";
export { RawRequests, type RawReply, type RawRequest, type RawRequestOptions } from "./raw-requests.js";
export { toStreamResponse, type StreamEvent, type StreamEventKind } from "./stream-event.js";
export type { AgentEvent, AgentInfo, AgentQuery, AgentStatus, WatchOptions } from "./discovery.js";
export {
  A2AClientError,
  A2AProtocolError,
  isA2AClientError,
  isA2AProtocolError,
  type A2AClientErrorCode,
} from "./errors.js";
export { userMessage, type MessageContent, type MessageInit, type SendMessageInput } from "./messages.js";
export { dataOf, messageOf, partsOf, stateOf, taskOf, textOf, type ResultLike } from "./results.js";
// The A2A types the client's results are made of, so users need not import @a2a/schema.
export type {
  AgentCard,
  Artifact,
  Message,
  Part,
  SendMessageParams,
  SendMessageResult,
  StreamResponse,
  Task,
  TaskState,
} from "@a2a/schema";
export type { Logger, LogFields } from "@a2a/transport";
export type { AgentStats } from "@a2a/transport/binding";
