import { AgentCardSchema, fastParse, type AgentCard } from "@a2a/schema";

/**
 * `json` as a valid 1.0 Agent Card, exactly as zod would return it, or undefined. A plain
 * card is taken by the hand-written check without zod's per-card cost (a directory reads
 * thousands at start); zod decides everything else.
 */
export function strictAgentCard(json: unknown): AgentCard | undefined {
  const fast = fastParse(AgentCardSchema, json);
  if (fast !== undefined) return fast;
  const full = AgentCardSchema.safeParse(json);
  return full.success ? full.data : undefined;
}
