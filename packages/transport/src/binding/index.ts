/**
 * The MQTT binding of A2A v1.0 (docs/binding.md): how requests, replies, stream frames,
 * errors and presence are encoded on the wire. Shared by `@a2a/agent` and `@a2a/client`.
 */
export * from "./constants.js";
export * from "./json-rpc.js";
export { isJsonObject, isValidReplyTopic, parseJsonPayload, type ParsedPayload } from "./payload.js";
export * from "./request.js";
export * from "./reply.js";
export * from "./frame-batch.js";
export * from "./presence.js";
export * from "./dedup.js";
export { newId } from "./new-id.js";
export * from "./pool.js";
export * from "./trace-context.js";
export * from "./agent-stats.js";
export * from "./emqx-extended/index.js";
export * from "./emqx/index.js";
