import type { StreamResponse } from "@a2a/schema";
import { decodeBinaryChunk, type BinaryChunk } from "@a2a/transport/binding";
import type { InboundMessage } from "@a2a/transport";

/** The metadata member of an artifact update that came as a native binary chunk: its `a2a-chunk-seqno`. */
export const CHUNK_SEQNO_METADATA_KEY = "a2a-chunk-seqno";

/** A binary chunk whose metadata is missing or out of order, or an artifact beyond the bounds. */
export class ArtifactChunkError extends Error {
  override readonly name = "ArtifactChunkError";
}

/**
 * A native binary artifact chunk (EMQX profile) as the A2A stream item it stands for: a
 * `TaskArtifactUpdateEvent` with one raw part (base64, as A2A's JSON form has it),
 * `append` after the first chunk, `lastChunk` from `a2a-last-chunk`, and the chunk's
 * number in `metadata["a2a-chunk-seqno"]`. Undefined for a message that is no binary
 * chunk; throws {@link ArtifactChunkError} for one with malformed properties.
 */
export function binaryChunkEvent(message: InboundMessage): StreamResponse | undefined {
  const chunk = decodeBinaryChunk(message);
  if (chunk === undefined) return undefined;
  if ("error" in chunk) throw new ArtifactChunkError(`Invalid native binary artifact chunk: ${chunk.error}`);
  return chunkToEvent(chunk);
}

function chunkToEvent(chunk: BinaryChunk): StreamResponse {
  const part: { raw: string; mediaType?: string } = { raw: Buffer.from(chunk.bytes).toString("base64") };
  if (chunk.mediaType !== undefined) part.mediaType = chunk.mediaType;
  return {
    artifactUpdate: {
      taskId: chunk.taskId,
      contextId: chunk.contextId ?? "",
      artifact: { artifactId: chunk.artifactId, parts: [part] },
      append: chunk.seqno > 0,
      lastChunk: chunk.lastChunk,
      metadata: { [CHUNK_SEQNO_METADATA_KEY]: chunk.seqno },
    },
  };
}

export interface ArtifactAssemblerOptions {
  /** Largest artifact put together, in bytes; beyond, {@link ArtifactChunkError}. @default 16777216 (16 MiB) */
  maxArtifactBytes?: number;
  /** Artifacts being put together at once. @default 16 */
  maxOpenArtifacts?: number;
  /**
   * Receives each artifact's bytes in order as they arrive, instead of the assembler
   * holding them: memory then stays at one chunk whatever the artifact's size (and
   * `maxArtifactBytes` does not apply).
   */
  onBytes?: (artifact: { taskId: string; artifactId: string }, bytes: Uint8Array) => void;
}

/** One artifact put together from its chunks. */
export interface AssembledArtifact {
  taskId: string;
  artifactId: string;
  mediaType?: string;
  /** The bytes (empty when they went to `onBytes`). */
  bytes: Uint8Array;
  /** Bytes received in all. */
  size: number;
  chunks: number;
}

interface OpenArtifact {
  taskId: string;
  artifactId: string;
  mediaType: string | undefined;
  next: number;
  size: number;
  parts: Uint8Array[];
}

/**
 * Puts artifacts together from their chunks in strict `a2a-chunk-seqno` order (the
 * profile's reassembly rule), from native binary chunks or from the raw-part artifact
 * updates of a JSON stream. A repeated chunk (QoS 1 may deliver twice) is dropped; a
 * gap, a chunk of an unknown artifact that is not its first, or an artifact beyond the
 * bounds throws {@link ArtifactChunkError}.
 */
export class ArtifactAssembler {
  readonly #maxBytes: number;
  readonly #maxOpen: number;
  readonly #onBytes: ArtifactAssemblerOptions["onBytes"];
  readonly #open = new Map<string, OpenArtifact>();

  constructor(options: ArtifactAssemblerOptions = {}) {
    this.#maxBytes = options.maxArtifactBytes ?? 16 * 1024 * 1024;
    this.#maxOpen = options.maxOpenArtifacts ?? 16;
    this.#onBytes = options.onBytes;
  }

  /** Takes one stream item; resolves the artifact it completes, if any. Items other than raw artifact updates are ignored. */
  add(event: StreamResponse): AssembledArtifact | undefined {
    if (!("artifactUpdate" in event)) return undefined;
    const update = event.artifactUpdate;
    const parts = update.artifact.parts;
    if (!parts.every((p) => "raw" in p)) return undefined;
    const key = `${update.taskId}\u0000${update.artifact.artifactId}`;
    let open = this.#open.get(key);
    const seqno = update.metadata?.[CHUNK_SEQNO_METADATA_KEY];
    if (typeof seqno === "number") {
      if (open === undefined && seqno !== 0) throw new ArtifactChunkError(`Chunk ${seqno} of artifact ${update.artifact.artifactId} arrived before its chunk 0`);
      if (open !== undefined && seqno < open.next) return undefined; // a duplicate
      if (open !== undefined && seqno > open.next) {
        throw new ArtifactChunkError(`Artifact ${update.artifact.artifactId} is missing chunk ${open.next} (chunk ${seqno} arrived): the stream lost data`);
      }
    }
    if (open === undefined || update.append !== true) {
      if (open === undefined && this.#open.size >= this.#maxOpen) throw new ArtifactChunkError(`More than ${this.#maxOpen} artifacts are being put together at once`);
      open = { taskId: update.taskId, artifactId: update.artifact.artifactId, mediaType: undefined, next: 0, size: 0, parts: [] };
      this.#open.set(key, open);
    }
    for (const part of parts) {
      const bytes = Buffer.from((part as { raw: string }).raw, "base64");
      open.mediaType ??= part.mediaType;
      open.size += bytes.byteLength;
      if (this.#onBytes !== undefined) this.#onBytes({ taskId: open.taskId, artifactId: open.artifactId }, bytes);
      else if (open.size > this.#maxBytes) {
        this.#open.delete(key);
        throw new ArtifactChunkError(`Artifact ${open.artifactId} is larger than maxArtifactBytes (${this.#maxBytes}); pass onBytes to stream it instead`);
      } else open.parts.push(bytes);
    }
    open.next++;
    // Without lastChunk (a plain JSON artifact) an update is complete unless it is appended to later.
    const last = update.lastChunk === true || (update.lastChunk === undefined && update.append !== true);
    if (!last) return undefined;
    this.#open.delete(key);
    const assembled: AssembledArtifact = { taskId: open.taskId, artifactId: open.artifactId, bytes: concat(open.parts, this.#onBytes ? 0 : open.size), size: open.size, chunks: open.next };
    if (open.mediaType !== undefined) assembled.mediaType = open.mediaType;
    return assembled;
  }

  /** Bytes held for artifacts not complete yet. */
  get heldBytes(): number {
    let total = 0;
    for (const open of this.#open.values()) for (const part of open.parts) total += part.byteLength;
    return total;
  }
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
