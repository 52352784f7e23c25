import type { TopicScheme } from "@a2a/transport";
import { parseAgentId } from "./agent-id.js";

/** Agents whose request topic is remembered (ids validated once, topics built once). */
const MAX_CACHED_TOPICS = 1024;

/** The request topic of each agent called, remembered up to a bound. */
export class RequestTopics {
  readonly #scheme: TopicScheme;
  readonly #topics = new Map<string, string>();

  constructor(scheme: TopicScheme) {
    this.#scheme = scheme;
  }

  /** The request topic of `agentId`; throws a TypeError when the id is not valid. */
  of(agentId: string): string {
    let topic = this.#topics.get(agentId);
    if (topic === undefined) {
      const { org, agent } = parseAgentId(agentId);
      topic = this.#scheme.tasks(org, agent);
      if (this.#topics.size >= MAX_CACHED_TOPICS) this.#topics.clear();
      this.#topics.set(agentId, topic);
    }
    return topic;
  }
}
