import {
  EMQX_ARTIFACT_MODE_PROPERTY,
  binaryChunkProperties,
  isJsonObject,
  namesArtifactMode,
  requestedArtifactMode,
  type ArtifactMode,
} from "@a2a/transport/binding";
import type { EmqxInboundRequest, EmqxReplyPublication } from "./emqx-options.js";
import type { BinaryArtifactOptions } from "./extended-options.js";


/** Artifact ids whose chunk numbers a stream keeps, per request; more are refused as JSON. */
const MAX_ARTIFACTS_PER_REQUEST = 1024;

/**
 * Publishes the artifact updates of a stream as native binary chunks when the request
 * asked (`a2a-artifact-mode: binary`): each raw part of a `TaskArtifactUpdateEvent`
 * becomes one or more messages of raw bytes (Payload Format Indicator 0, Content Type
 * the part's media type) described by `a2a-event-type`, `a2a-task-id`,
 * `a2a-artifact-id`, `a2a-chunk-seqno` and `a2a-last-chunk`. Updates with other parts,
 * unary results and every other stream item stay JSON. Each reply of such a request
 * says the mode chosen (`a2a-artifact-mode`).
 */
export class BinaryArtifactEncoder {
  readonly #chunkBytes: number;
  /** Next chunk number per artifact, per request being served. */
  readonly #seqnos = new WeakMap<EmqxInboundRequest, Map<string, number>>();

  constructor(options: BinaryArtifactOptions = {}) {
    const chunkBytes = options.chunkBytes ?? 256 * 1024;
    if (!Number.isInteger(chunkBytes) || chunkBytes < 1) throw new RangeError("binaryArtifacts.chunkBytes must be a positive integer");
    this.#chunkBytes = chunkBytes;
  }

  /** The mode answered to a request: `binary` when asked for (this responder supports it). */
  mode(request: EmqxInboundRequest): ArtifactMode {
    return requestedArtifactMode(request.userProperties);
  }

  /** `a2a-artifact-mode` on every reply of a request that named a mode. */
  replyProperties(request: EmqxInboundRequest): Record<string, string> | undefined {
    return namesArtifactMode(request.userProperties) ? { [EMQX_ARTIFACT_MODE_PROPERTY]: this.mode(request) } : undefined;
  }

  transform(request: EmqxInboundRequest, reply: EmqxReplyPublication): EmqxReplyPublication[] {
    if (this.mode(request) !== "binary" || typeof reply.payload !== "string" || !reply.payload.includes('"artifactUpdate"')) return [reply];
    const update = artifactUpdateOf(reply.payload);
    if (update === undefined) return [reply];
    let seqnos = this.#seqnos.get(request);
    if (seqnos === undefined) this.#seqnos.set(request, (seqnos = new Map<string, number>()));
    if (!seqnos.has(update.artifactId) && seqnos.size >= MAX_ARTIFACTS_PER_REQUEST) return [reply];
    // A replacing update starts the artifact again; an appending one continues its numbering.
    let seqno = update.append ? (seqnos.get(update.artifactId) ?? 0) : 0;
    const pieces: { bytes: Uint8Array; mediaType: string | undefined }[] = [];
    for (const part of update.parts) {
      const bytes = Buffer.from(part.raw, "base64");
      // An empty part is still one (empty) chunk.
      let offset = 0;
      do {
        pieces.push({ bytes: bytes.subarray(offset, offset + this.#chunkBytes), mediaType: part.mediaType });
        offset += this.#chunkBytes;
      } while (offset < bytes.byteLength);
    }
    const out = pieces.map((piece, index) => {
      const properties = binaryChunkProperties(
        {
          taskId: update.taskId,
          artifactId: update.artifactId,
          seqno: seqno++,
          lastChunk: update.lastChunk && index === pieces.length - 1,
          ...(update.contextId === undefined ? {} : { contextId: update.contextId }),
          ...(piece.mediaType === undefined ? {} : { mediaType: piece.mediaType }),
        },
        reply.properties.correlationData,
      );
      // The reply's other user properties (the responder's id, ...) stay on every chunk.
      properties.userProperties = { ...reply.properties.userProperties, ...properties.userProperties };
      return { payload: piece.bytes, properties };
    });
    seqnos.set(update.artifactId, seqno);
    return out;
  }
}

interface RawArtifactUpdate {
  taskId: string;
  contextId: string | undefined;
  artifactId: string;
  append: boolean;
  lastChunk: boolean;
  parts: { raw: string; mediaType: string | undefined }[];
}

/** The artifact update a stream item carries, when every part of it is raw bytes. */
function artifactUpdateOf(payload: string): RawArtifactUpdate | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!isJsonObject(value) || !isJsonObject(value.result)) return undefined;
  const event = value.result.artifactUpdate;
  if (!isJsonObject(event) || typeof event.taskId !== "string" || !isJsonObject(event.artifact)) return undefined;
  const { artifactId, parts } = event.artifact;
  if (typeof artifactId !== "string" || !Array.isArray(parts) || parts.length === 0) return undefined;
  const raw: RawArtifactUpdate["parts"] = [];
  for (const part of parts) {
    if (!isJsonObject(part) || typeof part.raw !== "string") return undefined;
    raw.push({ raw: part.raw, mediaType: typeof part.mediaType === "string" ? part.mediaType : undefined });
  }
  const append = event.append === true;
  // A complete artifact (neither appended nor chunked) is its own last chunk.
  const lastChunk = event.lastChunk === true || (event.lastChunk === undefined && !append);
  return {
    taskId: event.taskId,
    contextId: typeof event.contextId === "string" ? event.contextId : undefined,
    artifactId,
    append,
    lastChunk,
    parts: raw,
  };
}
