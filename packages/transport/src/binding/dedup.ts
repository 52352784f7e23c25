import * as nodeCrypto from "node:crypto";
import type { JsonRpcId } from "./json-rpc.js";
import { newId } from "./new-id.js";

const { createHash } = nodeCrypto;
/** Node's one-shot digest (20.12 and later), some twice as fast as a Hash object for a request. */
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: Uint8Array | string, encoding: "base64") => string }).hash;

function hex(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? "" : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/**
 * The de-duplication key of a request: the same reply topic, correlation data and
 * JSON-RPC id mean the same request, so it is answered again rather than executed twice.
 * Requests without a reply topic are keyed by id alone (`id` must then be unique).
 */
export function requestKey(options: { replyTopic?: string; correlationData?: Uint8Array; id: JsonRpcId }): string {
  return flat(`req\u0000${options.replyTopic ?? ""}\u0000${hex(options.correlationData)}\u0000${JSON.stringify(options.id)}`);
}

/**
 * The de-duplication key of a SendMessage (or SendStreamingMessage) by its
 * `messageId`: a client that retries with a new JSON-RPC id but the same message is
 * answered, not served twice. The reply topic is part of the key so that one client
 * cannot obtain another's task by guessing its message id; the method and the form of
 * the answer (`"1.0"` or `"0.3"`) are, so that a repeat is answered the way it asked.
 */
export function messageKey(options: { replyTopic?: string; messageId: string; method: string; form: string }): string {
  return flat(`msg\u0000${options.replyTopic ?? ""}\u0000${options.messageId}\u0000${options.method}\u0000${options.form}`);
}

/**
 * The de-duplication key of a compact Task Request: its `id` on its reply topic (the
 * results topic when it names none), apart from every JSON-RPC key.
 */
export function compactRequestKey(options: { replyTopic: string; correlationData?: Uint8Array; id: string }): string {
  return flat(`compact\u0000${requestKey(options)}`);
}

/**
 * What makes a repeat the same request, beyond its key: the method, the protocol
 * version it asked for and its params (compared as their JSON text). A request that
 * reuses a remembered key with another digest is a different request: it is executed,
 * never answered with the other one's reply.
 */
export function requestDigest(options: { method: string; version: string; params: unknown }): string {
  let params: string;
  try {
    params = options.params === undefined ? "" : JSON.stringify(options.params);
  } catch {
    // Nesting too deep to serialise (it parsed, but stringify recurses): such a request
    // is refused by validation anyway; it repeats nothing.
    return `unique:${newId()}`;
  }
  return createHash("sha256").update(options.method).update("\u0000").update(options.version).update("\u0000").update(params).digest("base64");
}

/**
 * {@link requestDigest} from the request as it came: the protocol version and the
 * payload's bytes. A repeat of a request (a redelivery, a client sending it again) has
 * the same bytes; hashing them costs a fraction of serialising the parsed params again,
 * which matters for large messages. A request re-serialised differently counts as
 * another request: it is executed (a SendMessage is still answered by its messageId).
 */
export function payloadDigest(options: { version: string; payload: Uint8Array | string }): string {
  // A short version (the usual "1.0") stays outside the hash: the digest is only ever
  // compared whole, and its hash part has a fixed length.
  if (oneShotHash !== undefined && options.version.length <= 16) return `${options.version}\u0000${oneShotHash("sha256", options.payload, "base64")}`;
  return createHash("sha256").update(options.version).update("\u0000").update(options.payload).digest("base64");
}

/**
 * The key as one flat string: a concatenation is a tree of its pieces until something
 * flattens it, and keys are kept for the whole de-duplication window. Reading a
 * character flattens it.
 */
function flat(key: string): string {
  key.charCodeAt(0);
  return key;
}
