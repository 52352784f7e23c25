import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { ConformanceAdapter, Reply, RequestOptions } from "../adapter.js";
import { REQUIRED_EXTENSION } from "../agent-under-test.js";

/** Request options with the extension the agent under test requires. */
export function withExtension(options: RequestOptions = {}): RequestOptions {
  return { extensions: [REQUIRED_EXTENSION], ...options };
}

/** A unary request with the required extension; with other options: `a.call(method, params, withExtension(options))`. */
export function call(a: ConformanceAdapter, method: string, params?: unknown): Promise<Reply> {
  return a.call(method, params, withExtension());
}

/** A streaming request with the required extension; with other options: `a.stream(method, params, withExtension(options))`. */
export function stream(a: ConformanceAdapter, method: string, params?: unknown): Promise<Reply[]> {
  return a.stream(method, params, withExtension());
}

/** SendMessage params: a user text message for `skill`. */
export function message(skill: string, text = "hi", extra: Record<string, unknown> = {}): { message: Record<string, unknown> } & Record<string, unknown> {
  return { message: { messageId: randomUUID(), role: "ROLE_USER", parts: [{ text }], metadata: { skillId: skill }, ...extra } };
}

/** The result of a successful reply (fails the rule on an error reply). */
export function resultOf<T = Record<string, unknown>>(reply: Reply): T {
  expect(reply.error, `unexpected error ${JSON.stringify(reply.error)}`).toBeUndefined();
  return reply.result as T;
}

export function expectError(reply: Reply, code: number): void {
  expect(reply.error?.code, `expected error ${code}, got ${JSON.stringify(reply.raw)}`).toBe(code);
}

export interface WireTask {
  id: string;
  contextId?: string;
  status: { state: string };
  history?: unknown[];
  artifacts?: unknown[];
}

/** Sends a blocking SendMessage and returns its Task. */
export async function sendTask(a: ConformanceAdapter, skill: string, { text = "hi", extra = {} }: { text?: string; extra?: Record<string, unknown> } = {}): Promise<WireTask> {
  const reply = await call(a, "SendMessage", message(skill, text, extra));
  return resultOf<{ task: WireTask }>(reply).task;
}
