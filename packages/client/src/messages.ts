import { randomUUID } from "node:crypto";
import { A2AClientError } from "./errors.js";
import { SKILL_METADATA_KEY, type Message, type Part, type Role, type SendMessageParams } from "@a2a/schema";

/** A message before the client fills in `messageId` (a fresh UUID) and `role` (user). */
export type MessageInit = Omit<Message, "messageId" | "role"> & { messageId?: string; role?: Role };

/** SendMessage params whose message may leave out `messageId` and `role`. */
export type SendMessageInput = Omit<SendMessageParams, "message"> & { message: MessageInit };

/** What `userMessage` builds a message from. */
export interface MessageContent {
  /** A text part. */
  text?: string;
  /** A data part (any JSON value). */
  data?: unknown;
  /** Further parts, after the text and data parts. */
  parts?: Part[];
  /** Continue this task (e.g. answer its input-required question). */
  taskId?: string;
  /** Stay in this conversation; inherited from the task when only `taskId` is given. */
  contextId?: string;
  /** The skill to run, when the agent has several (message metadata `skillId`). */
  skill?: string;
  metadata?: Record<string, unknown>;
  referenceTaskIds?: string[];
}

/**
 * A user message with a fresh `messageId`.
 * @example userMessage({ text: "translate", data: { to: "fr" }, skill: "translate" })
 */
export function userMessage(content: string | MessageContent): Message {
  const c: MessageContent = typeof content === "string" ? { text: content } : content;
  const parts: Part[] = [];
  if (c.text !== undefined) parts.push({ text: c.text });
  if (c.data !== undefined) parts.push({ data: c.data });
  if (c.parts) parts.push(...c.parts);
  if (parts.length === 0) throw new A2AClientError("INVALID_ARGUMENT", "A message needs at least one part: give text, data or parts.");
  const message: Message = { messageId: randomUUID(), role: "ROLE_USER", parts };
  if (c.taskId !== undefined) message.taskId = c.taskId;
  if (c.contextId !== undefined) message.contextId = c.contextId;
  if (c.referenceTaskIds !== undefined) message.referenceTaskIds = c.referenceTaskIds;
  if (c.metadata !== undefined || c.skill !== undefined) {
    message.metadata = { ...c.metadata };
    if (c.skill !== undefined) message.metadata[SKILL_METADATA_KEY] = c.skill;
  }
  return message;
}

/** Completes `input` into wire params: a string becomes a text message; ids are filled in. */
export function toSendParams(input: string | SendMessageInput): SendMessageParams {
  if (typeof input === "string") return { message: userMessage(input) };
  // Copies (a call may send its request again later); plain spreads, which cost far less
  // than a rest pattern's copy leaving keys out.
  const message = { ...input.message };
  message.messageId ??= randomUUID();
  message.role ??= "ROLE_USER";
  return { ...input, message: message as Message };
}
