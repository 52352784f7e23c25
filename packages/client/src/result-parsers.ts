import { fastCheck, fastParse, OPERATION_RESULTS, StreamResponseSchema, type A2AMethod } from "@a2a/schema";
import { parseAgentStats } from "@a2a/transport/binding";

/** Checks a result; a zod-style outcome. */
export type Parse = (value: unknown) => { success: true; data: unknown } | { success: false; error: Error };

/**
 * A result check: plain 1.0 values checked in place (a result is JSON the client just
 * parsed, nobody else's), copied by the fast path when keys are to be dropped, zod for the
 * rest (and its errors).
 */
export function resultParser(schema: Parameters<typeof fastParse>[0]): Parse {
  return (value) => {
    const fast = fastCheck(schema, value) ?? fastParse(schema, value);
    return fast !== undefined ? { success: true, data: fast } : schema.safeParse(value);
  };
}

/** The result check of each A2A method, made once. */
export const RESULT_PARSERS = Object.fromEntries(
  Object.entries(OPERATION_RESULTS).map(([method, schema]) => [method, resultParser(schema)]),
) as Record<A2AMethod, Parse>;

/** Checks one event of a stream. */
export const parseStreamResponse: Parse = resultParser(StreamResponseSchema);

/** Checks a `GetAgentStats` result. */
export const parseStatsResult: Parse = (value) => {
  const stats = parseAgentStats(value);
  return stats === undefined ? { success: false, error: new Error("not an AgentStats object") } : { success: true, data: stats };
};
