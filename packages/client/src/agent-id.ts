import { isValidTopicSegment } from "@a2a/transport";
import { A2AClientError } from "./errors.js";

/** `"org/agent"` taken apart; throws an INVALID_AGENT_ID A2AClientError naming the problem when it is not valid. */
export function parseAgentId(id: string): { org: string; agent: string } {
  const parts = typeof id === "string" ? id.split("/") : [];
  const [org, agent] = parts;
  if (parts.length !== 2 || !isValidTopicSegment(org) || !isValidTopicSegment(agent)) {
    throw new A2AClientError(
      "INVALID_AGENT_ID",
      `Agent id ${JSON.stringify(id)} is not valid: use "org/agent", two non-empty ids of at most 128 characters without '/', '+', '#' or control characters.`,
    );
  }
  return { org, agent };
}
