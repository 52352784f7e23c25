import { SEED_PARAMS_METADATA_KEY, type Message, type Part } from "@a2a/schema";
import type { z } from "zod";
import type { TaskContext } from "./task-context.js";

/** What a skill handler may return (or resolve to): the task completes with it as an artifact. */
export type SkillResult = unknown;

/** A skill: one capability of the agent, listed in its card and run per task. */
export interface SkillDefinition<I = Record<string, unknown>> {
  /** Unique within the agent; clients name it in `message.metadata.skillId`. */
  id: string;
  /** @default id */
  name?: string;
  /** @default name */
  description?: string;
  /** @default [id] */
  tags?: string[];
  examples?: string[];
  inputModes?: string[];
  outputModes?: string[];
  /**
   * Validates the skill input (see {@link skillInput}); invalid input is answered with
   * JSON-RPC -32602 naming the path, and no task is created.
   */
  input?: z.ZodType<I>;
  /**
   * Runs one task. Returning completes the task (a string becomes a text artifact,
   * anything else a data artifact, `undefined` no artifact); throwing fails it with
   * the error's message. It may return a promise of its result.
   */
  handler: (input: I, ctx: TaskContext) => SkillResult;
}

/** A registered skill, input type erased. */
export interface RegisteredSkill {
  id: string;
  name: string;
  description: string;
  tags: string[];
  examples?: string[];
  inputModes?: string[];
  outputModes?: string[];
  input?: z.ZodType;
  handler: (input: unknown, ctx: TaskContext) => SkillResult;
}

export function toRegisteredSkill(def: SkillDefinition<never>): RegisteredSkill {
  const name = def.name ?? def.id;
  const skill: RegisteredSkill = {
    id: def.id,
    name,
    description: def.description ?? name,
    tags: def.tags !== undefined && def.tags.length > 0 ? [...def.tags] : [def.id],
    handler: def.handler as RegisteredSkill["handler"],
  };
  if (def.examples !== undefined) skill.examples = [...def.examples];
  if (def.inputModes !== undefined) skill.inputModes = [...def.inputModes];
  if (def.outputModes !== undefined) skill.outputModes = [...def.outputModes];
  if (def.input !== undefined) skill.input = def.input;
  return skill;
}

/** Options of {@link A2AAgent.registerTool}. */
export interface ToolOptions {
  /** @default the function's name */
  id?: string;
  /** @default id */
  name?: string;
  /** @default name */
  description?: string;
  /** @default [id] */
  tags?: string[];
  examples?: string[];
}

/** A plain function turned into a skill: its name is the skill id. */
export function toolToSkill(
  fn: (params: Record<string, unknown>) => unknown,
  options: ToolOptions = {},
): SkillDefinition<Record<string, unknown>> {
  const id = options.id ?? fn.name;
  if (id === "") {
    throw new TypeError("registerTool() needs a named function (its name is the skill id) or options.id");
  }
  const def: SkillDefinition<Record<string, unknown>> = { id, handler: (params) => fn(params) };
  if (options.name !== undefined) def.name = options.name;
  if (options.description !== undefined) def.description = options.description;
  if (options.tags !== undefined) def.tags = options.tags;
  if (options.examples !== undefined) def.examples = options.examples;
  return def;
}

/**
 * The input a skill receives for a message: its data parts that are objects merged
 * in order (over the other members of a seed Task Request's `params`), plus
 * `message`, the text parts joined by newlines, when there is text. A seed Task
 * Request's `params.message.content.parts[].data` arrives this way.
 */
export function skillInput(message: Message): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  // A seed Task Request's other `params` members travel in message metadata.
  const seedParams = message.metadata?.[SEED_PARAMS_METADATA_KEY];
  if (typeof seedParams === "object" && seedParams !== null && !Array.isArray(seedParams)) Object.assign(input, seedParams);
  const texts: string[] = [];
  for (const part of message.parts) {
    if ("text" in part) texts.push(part.text);
    else if ("data" in part && typeof part.data === "object" && part.data !== null && !Array.isArray(part.data)) {
      Object.assign(input, part.data);
    }
  }
  if (texts.length > 0) input.message = texts.join("\n");
  return input;
}

/** The artifact parts for a handler's return value; empty for `undefined`. */
export function resultParts(value: unknown): Part[] {
  if (value === undefined) return [];
  if (typeof value === "string") return [{ text: value }];
  return [{ data: value === null ? null : value }];
}
