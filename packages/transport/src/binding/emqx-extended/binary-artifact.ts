import type { InboundMessage, MessageProperties } from "../../transport.js";
import {
  EMQX_ARTIFACT_ID_PROPERTY as ARTIFACT_ID_USER_PROPERTY,
  EMQX_ARTIFACT_MODE_PROPERTY as ARTIFACT_MODE_USER_PROPERTY,
  EMQX_CHUNK_SEQNO_PROPERTY as CHUNK_SEQNO_USER_PROPERTY,
  EMQX_CONTEXT_ID_PROPERTY as CONTEXT_ID_USER_PROPERTY,
  EMQX_EVENT_TYPE_PROPERTY as EVENT_TYPE_USER_PROPERTY,
  EMQX_LAST_CHUNK_PROPERTY as LAST_CHUNK_USER_PROPERTY,
  EMQX_TASK_ID_PROPERTY as TASK_ID_USER_PROPERTY,
} from "../emqx/constants.js";
import { userPropertyOf } from "./bearer-token.js";

/**
 * Native binary artifact mode (EMQX A2A-over-MQTT profile, "Optional MQTT Native Binary
 * Artifact Mode"): a requester asks with `a2a-artifact-mode: binary`; the responder then
 * publishes each artifact chunk as raw bytes on the reply topic, described by user
 * properties, instead of base64 inside a JSON `TaskArtifactUpdateEvent`.
 */

/** The `a2a-event-type` of a binary artifact chunk. */
export const ARTIFACT_UPDATE_EVENT_TYPE = "task-artifact-update";

export type ArtifactMode = "json" | "binary";

/** What one binary chunk message says about itself. */
export interface BinaryChunkHeader {
  taskId: string;
  artifactId: string;
  /** 0, 1, 2, ... per artifact, in publish order. */
  seqno: number;
  /** The artifact's last chunk (the artifact is complete; the task need not be). */
  lastChunk: boolean;
  contextId?: string;
  /** The artifact's media type, when known (MQTT Content Type). */
  mediaType?: string;
}

/** A binary chunk as received. */
export interface BinaryChunk extends BinaryChunkHeader {
  bytes: Uint8Array;
}

/**
 * The mode a request asked for: `binary` only when it says exactly that (any case);
 * absent or unknown values mean `json` (profile: unknown modes fall back to JSON).
 */
export function requestedArtifactMode(userProperties: Readonly<Record<string, string>> | undefined): ArtifactMode {
  return userPropertyOf(userProperties, ARTIFACT_MODE_USER_PROPERTY)?.trim().toLowerCase() === "binary" ? "binary" : "json";
}

/** Whether a request named any artifact mode (the responder then says which it chose). */
export function namesArtifactMode(userProperties: Readonly<Record<string, string>> | undefined): boolean {
  return userPropertyOf(userProperties, ARTIFACT_MODE_USER_PROPERTY) !== undefined;
}

/** The MQTT 5 properties of one binary chunk message, exactly as the profile lists them. */
export function binaryChunkProperties(header: BinaryChunkHeader, correlationData: Uint8Array | undefined): MessageProperties {
  const userProperties: Record<string, string> = {
    [ARTIFACT_MODE_USER_PROPERTY]: "binary",
    [EVENT_TYPE_USER_PROPERTY]: ARTIFACT_UPDATE_EVENT_TYPE,
    [TASK_ID_USER_PROPERTY]: header.taskId,
    [ARTIFACT_ID_USER_PROPERTY]: header.artifactId,
    [CHUNK_SEQNO_USER_PROPERTY]: String(header.seqno),
    [LAST_CHUNK_USER_PROPERTY]: header.lastChunk ? "true" : "false",
  };
  if (header.contextId !== undefined) userProperties[CONTEXT_ID_USER_PROPERTY] = header.contextId;
  const properties: MessageProperties = { payloadFormatIndicator: false, userProperties };
  if (correlationData !== undefined) properties.correlationData = correlationData;
  if (header.mediaType !== undefined) properties.contentType = header.mediaType;
  return properties;
}

/** Largest chunk sequence number accepted (a chunk count no artifact reaches). */
const MAX_SEQNO = 2 ** 31 - 1;
/** Longest task or artifact id accepted in a chunk's properties. */
const MAX_ID_LENGTH = 256;

/**
 * Reads a reply message as a binary chunk: `undefined` when it is not one (no
 * `a2a-event-type: task-artifact-update` with a non-UTF-8 payload format, i.e. an
 * ordinary JSON reply), `{ error }` when it claims to be one but its properties are
 * missing or malformed (a protocol error the requester reports).
 */
export function decodeBinaryChunk(message: InboundMessage): BinaryChunk | { error: string } | undefined {
  const props = message.properties.userProperties;
  if (props?.[EVENT_TYPE_USER_PROPERTY] !== ARTIFACT_UPDATE_EVENT_TYPE || message.properties.payloadFormatIndicator === true) return undefined;
  const taskId = props[TASK_ID_USER_PROPERTY];
  const artifactId = props[ARTIFACT_ID_USER_PROPERTY];
  const seqText = props[CHUNK_SEQNO_USER_PROPERTY];
  const last = props[LAST_CHUNK_USER_PROPERTY];
  if (!validId(taskId)) return { error: `binary chunk without a valid ${TASK_ID_USER_PROPERTY}` };
  if (!validId(artifactId)) return { error: `binary chunk without a valid ${ARTIFACT_ID_USER_PROPERTY}` };
  if (seqText === undefined || !/^\d{1,10}$/.test(seqText) || Number(seqText) > MAX_SEQNO) {
    return { error: `binary chunk ${CHUNK_SEQNO_USER_PROPERTY} must be a non-negative integer, got ${JSON.stringify(seqText?.slice(0, 20))}` };
  }
  if (last !== "true" && last !== "false") return { error: `binary chunk ${LAST_CHUNK_USER_PROPERTY} must be "true" or "false"` };
  const chunk: BinaryChunk = { taskId, artifactId, seqno: Number(seqText), lastChunk: last === "true", bytes: message.payload };
  const contextId = props[CONTEXT_ID_USER_PROPERTY];
  if (validId(contextId)) chunk.contextId = contextId;
  if (message.properties.contentType !== undefined) chunk.mediaType = message.properties.contentType;
  return chunk;
}

function validId(value: string | undefined): value is string {
  return value !== undefined && value.length > 0 && value.length <= MAX_ID_LENGTH;
}
