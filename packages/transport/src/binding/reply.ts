import type { InboundMessage } from "../transport.js";
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  EVENT_SEQ_MEMBER,
  FINAL_MEMBER,
  GAP_MEMBER,
  JSON_CONTENT_TYPE,
  SEQ_MEMBER,
} from "./constants.js";
import { isJsonObject, parseJsonPayload } from "./payload.js";
import {
  isJsonRpcId,
  type JsonRpcErrorObject,
  type JsonRpcId,
  type JsonRpcResponse,
} from "./json-rpc.js";
import { isInterruptedState, isJsonRpcErrorObject, isTerminalState } from "@a2a/schema";
import type { EncodedPublish, ReplyRoute } from "./request.js";

export interface EncodeReplyOptions {
  /** A JSON-RPC response, or a compact Task Result. */
  body: object;
  /** Correlation data of the request, echoed (MQTT 5). */
  correlationData?: Uint8Array;
  /** Stream frames only: position within the stream, from 0. */
  seq?: number;
  /** Stream frames only: true on the last frame. */
  final?: boolean;
  /** Stream frames only: further frame members, e.g. `eventSeq` (section 5.1). */
  members?: object;
}

/** Builds the payload and publish options of a reply or stream frame (section 5). */
export function encodeReply(options: EncodeReplyOptions): EncodedPublish {
  return { payload: replyPayload(options), options: replyPublishOptions(options.correlationData) };
}

/**
 * The publish options of every reply and stream frame (section 5): QoS 1, the JSON
 * content type, and the request's correlation data echoed (MQTT 5).
 */
export function replyPublishOptions(correlationData: Uint8Array | undefined): EncodedPublish["options"] {
  const properties: NonNullable<EncodedPublish["options"]["properties"]> = { contentType: JSON_CONTENT_TYPE };
  if (correlationData !== undefined) properties.correlationData = correlationData;
  return { qos: 1, properties };
}

/** The payload of a reply or stream frame: the body's JSON text with the frame members. */
export function replyPayload(options: EncodeReplyOptions): string {
  const { body, seq } = options;
  const final = options.final === true;
  const extra = options.members === undefined ? "" : JSON.stringify(options.members).slice(1, -1);
  if (seq === undefined && !final && extra === "") return JSON.stringify(body);
  const members =
    (seq === undefined ? "" : `,"${SEQ_MEMBER}":${JSON.stringify(seq)}`) + (final ? `,"${FINAL_MEMBER}":true` : "") + (extra === "" ? "" : `,${extra}`);
  if (!(SEQ_MEMBER in body) && !(FINAL_MEMBER in body) && (options.members === undefined || !Object.keys(options.members).some((k) => k in body))) {
    // The frame members appended to the body's JSON text: the same text as a copy of the
    // body with the members added would give, without copying the body.
    const text = JSON.stringify(body);
    if (text.length > 2 && text.charCodeAt(0) === 0x7b && text.charCodeAt(text.length - 1) === 0x7d) {
      return `${text.slice(0, -1)}${members}}`;
    }
  }
  const framed: Record<string, unknown> = { ...body, ...options.members };
  if (seq !== undefined) framed[SEQ_MEMBER] = seq;
  if (final) framed[FINAL_MEMBER] = true;
  return JSON.stringify(framed);
}

/** A success stream frame's parts, for `streamFrameText`. */
export interface StreamFrame {
  /** The request id's JSON text (the same for every frame of a stream). */
  idJson: string;
  /** The result's JSON text. */
  resultJson: string;
  seq: number;
  final: boolean;
  members?: { eventSeq: number; gap?: true } | undefined;
}

/**
 * The text of a stream frame carrying a success response (section 5): the same text as
 * `replyPayload({ body: jsonRpcResult(id, result), seq, final, members })`, written out
 * for the frame path, where the id's JSON is made once per stream.
 */
export function streamFrameText(frame: StreamFrame): string {
  const { idJson, resultJson, seq, final, members } = frame;
  let text = `{"jsonrpc":"2.0","id":${idJson},"result":${resultJson},"${SEQ_MEMBER}":${seq}`;
  if (final) text += `,"${FINAL_MEMBER}":true`;
  if (members !== undefined) {
    text += `,"${EVENT_SEQ_MEMBER}":${members.eventSeq}`;
    if (members.gap === true) text += `,"${GAP_MEMBER}":true`;
  }
  return `${text}}`;
}

/** A reply as read by a client. */
export interface DecodedReply extends Pick<ReplyRoute, "correlationData"> {
  id: JsonRpcId;
  /** Present on success. */
  result?: unknown;
  /** Present on failure. */
  error?: JsonRpcErrorObject;
  /** Stream frames: position within the stream. */
  seq?: number;
  /** True on the last frame of a stream. */
  final: boolean;
  /** Stream frames: the task event number (section 5.1), when the agent numbers events. */
  eventSeq?: number;
  /** True on a resumed stream's Task frame when the events asked for were gone. */
  gap?: boolean;
  /** The response object without the frame members. */
  response: JsonRpcResponse;
}

export type DecodeReplyResult = { ok: true; reply: DecodedReply } | { ok: false; message: string };

/** Reads a reply or stream frame. Never throws. */
export function decodeReply(
  message: Pick<InboundMessage, "payload" | "properties">,
  options: { maxPayloadBytes?: number } = {},
): DecodeReplyResult {
  const parsed = parseJsonPayload(message.payload, options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  return readReply(parsed.value, message.properties.correlationData);
}

export type DecodeRepliesResult = { ok: true; replies: DecodedReply[] } | { ok: false; message: string };

/**
 * Reads a reply, a stream frame, or a batch of stream frames (a JSON array of frames,
 * section 5.2), in order. A batch with one malformed frame is rejected whole. Never throws.
 */
export function decodeReplies(
  message: Pick<InboundMessage, "payload" | "properties">,
  options: { maxPayloadBytes?: number } = {},
): DecodeRepliesResult {
  const parsed = parseJsonPayload(message.payload, options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  const value = parsed.value;
  const correlationData = message.properties.correlationData;
  if (!Array.isArray(value)) {
    const one = readReply(value, correlationData);
    return one.ok ? { ok: true, replies: [one.reply] } : one;
  }
  if (value.length === 0) return { ok: false, message: "A frame batch must hold at least one frame" };
  const replies: DecodedReply[] = [];
  for (let i = 0; i < value.length; i++) {
    const one = readReply(value[i], correlationData);
    if (!one.ok) return { ok: false, message: `Frame ${i} of the batch: ${one.message}` };
    if (one.reply.seq === undefined) return { ok: false, message: `Frame ${i} of the batch has no "seq"; every batched frame must carry one` };
    replies.push(one.reply);
  }
  return { ok: true, replies };
}

/** One parsed reply object, checked. */
function readReply(v: unknown, correlationData: Uint8Array | undefined): DecodeReplyResult {
  if (!isJsonObject(v) || v.jsonrpc !== "2.0") return { ok: false, message: "Reply is not a JSON-RPC 2.0 response" };
  if (!isJsonRpcId(v.id)) return { ok: false, message: 'Reply "id" must be a string, number or null' };
  const hasResult = "result" in v;
  const hasError = "error" in v;
  if (hasResult === hasError) return { ok: false, message: 'Reply must have exactly one of "result" and "error"' };
  if (hasError && !isJsonRpcErrorObject(v.error)) return { ok: false, message: 'Reply "error" is malformed' };
  const seq = v[SEQ_MEMBER];
  if (seq !== undefined && !(typeof seq === "number" && Number.isInteger(seq) && seq >= 0)) {
    return { ok: false, message: 'Reply "seq" must be a non-negative integer' };
  }
  const reply: DecodedReply = {
    id: v.id,
    final: v[FINAL_MEMBER] === true,
    response: hasError
      ? { jsonrpc: "2.0", id: v.id, error: v.error as JsonRpcErrorObject }
      : { jsonrpc: "2.0", id: v.id, result: v.result },
  };
  if (hasError) reply.error = v.error as JsonRpcErrorObject;
  else reply.result = v.result;
  if (typeof seq === "number") reply.seq = seq;
  const eventSeq = v[EVENT_SEQ_MEMBER];
  if (typeof eventSeq === "number" && Number.isSafeInteger(eventSeq) && eventSeq >= 0) reply.eventSeq = eventSeq;
  if (v[GAP_MEMBER] === true) reply.gap = true;
  if (correlationData !== undefined) reply.correlationData = correlationData;
  return { ok: true, reply };
}

/**
 * True when a StreamResponse ends its stream: a Message, or a task / status update whose
 * state is terminal or interrupted. Artifact updates never end a stream.
 */
export function isStreamEnd(streamResponse: unknown): boolean {
  if (!isJsonObject(streamResponse)) return false;
  if (isJsonObject(streamResponse.message)) return true;
  const holder = isJsonObject(streamResponse.task)
    ? streamResponse.task
    : isJsonObject(streamResponse.statusUpdate)
      ? streamResponse.statusUpdate
      : undefined;
  if (holder === undefined || !isJsonObject(holder.status)) return false;
  const state = holder.status.state;
  return isTerminalState(state) || isInterruptedState(state);
}
