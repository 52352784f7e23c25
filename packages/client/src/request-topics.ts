import type { TopicScheme } from "@a2a/transport";
import { parseAgentId } from "./agent-id.js";
import { A2AClientError } from "./errors.js";

/** Agents whose request topic is remembered (ids validated once, topics built once). */
const MAX_CACHED_TOPICS = 1024;

/** The request topic of each agent called, remembered up to a bound. */
export class RequestTopics {
  readonly #scheme: TopicScheme;
  readonly #topics = new Map<string, string>();

  constructor(scheme: TopicScheme) {
    this.#scheme = scheme;
  }

  /** The request topic of `agentId`; throws an INVALID_AGENT_ID A2AClientError when the id cannot be one. */
  of(agentId: string): string {
    let topic = this.#topics.get(agentId);
    if (topic === undefined) {
      const { org, agent } = parseAgentId(agentId);
      try {
        topic = this.#scheme.tasks(org, agent);
      } catch (error) {
        // E.g. an org the topic scheme reserves.
        throw new A2AClientError("INVALID_AGENT_ID", `Agent id ${JSON.stringify(agentId)} is not valid: ${(error as Error).message}`, { cause: error });
      }
      if (this.#topics.size >= MAX_CACHED_TOPICS) this.#topics.clear();
      this.#topics.set(agentId, topic);
    }
    return topic;
  }
}
