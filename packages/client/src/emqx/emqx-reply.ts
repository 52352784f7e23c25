import { isInterruptedState, isTerminalState, type JsonRpcErrorObject } from "@a2a/schema";
import type { InboundMessage, MessageProperties } from "@a2a/transport";
import { isJsonObject, parseJsonPayload } from "@a2a/transport/binding";

/** One correlated reply or stream item of the profile, decoded. */
export interface EmqxReply {
  /** The JSON-RPC `result`, when the reply is a success. */
  result?: unknown;
  /** The JSON-RPC `error`, when it is an error. */
  error?: JsonRpcErrorObject;
  /** This project's agents number stream frames (`seq`); others do not. */
  seq?: number;
  properties: MessageProperties;
  /** The payload's size in bytes, for the bounds on what a call holds. */
  bytes?: number;
}

/**
 * Decodes a profile reply. The JSON-RPC `id` is not checked: on the profile a reply
 * belongs to the request whose Correlation Data it echoes, and the reference SDK answers
 * errors with the Correlation Data string as `id`. Undefined for a payload that is no
 * JSON-RPC response (the caller may hand it to a hook, else drops it).
 */
export function decodeEmqxReply(message: InboundMessage, maxPayloadBytes: number): EmqxReply | undefined {
  const parsed = parseJsonPayload(message.payload, maxPayloadBytes);
  if (!parsed.ok || !isJsonObject(parsed.value)) return undefined;
  const body = parsed.value;
  const reply: EmqxReply = { properties: message.properties, bytes: message.payload.byteLength };
  if (isJsonObject(body.error) && typeof body.error.code === "number" && typeof body.error.message === "string") {
    reply.error = body.error as unknown as JsonRpcErrorObject;
  } else if ("result" in body) {
    reply.result = body.result;
  } else {
    return undefined;
  }
  if (typeof body.seq === "number" && Number.isSafeInteger(body.seq)) reply.seq = body.seq;
  return reply;
}

/** The state a reply item reports, if any (a Task, or a status update). */
export function stateOf(result: unknown): string | undefined {
  if (!isJsonObject(result)) return undefined;
  const holder = isJsonObject(result.task) ? result.task : isJsonObject(result.statusUpdate) ? result.statusUpdate : undefined;
  const status = holder?.status;
  return isJsonObject(status) && typeof status.state === "string" ? status.state : undefined;
}

/**
 * True when an item ends its correlation (the profile's Streaming Reply Mapping): a
 * terminal, input-required or auth-required state, a Message, or an error.
 */
export function endsCorrelation(reply: EmqxReply): boolean {
  if (reply.error !== undefined) return true;
  if (isJsonObject(reply.result) && isJsonObject(reply.result.message)) return true;
  const state = stateOf(reply.result);
  return state !== undefined && (isTerminalState(state) || isInterruptedState(state));
}
