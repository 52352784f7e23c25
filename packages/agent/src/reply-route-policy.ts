import type { TopicScheme } from "@a2a/transport";

export interface ReplyRoutePolicyOptions {
  topics: TopicScheme;
  /** The agent's own discovery, tasks and results topics. */
  ownTopics: readonly string[];
  /** Topics outside the reply namespace the agent may publish to as well. */
  allow?: ((topic: string) => boolean) | undefined;
}

/**
 * Where an agent may publish what a request asks it to (replies, stream frames,
 * `mqtt:///` push notifications). By default only the reply namespace of its topic
 * scheme (`{prefix}replies/{clientId}/{inbox}`): never a `$` topic (a broker may drop
 * the connection of a client publishing there, and the agent would publish again on
 * every reconnect), never its own discovery, tasks or results topics, never another
 * agent's topics. `allow` widens the namespace; `$` and own topics stay refused.
 */
export class ReplyRoutePolicy {
  readonly #o: ReplyRoutePolicyOptions;

  constructor(options: ReplyRoutePolicyOptions) {
    this.#o = options;
  }

  /** Why `topic` is refused, or undefined when the agent may publish there. */
  refusal(topic: string): string | undefined {
    if (topic.startsWith("$")) return `the reply topic ${topic} starts with $ (broker-reserved)`;
    if (this.#o.ownTopics.includes(topic)) return `the reply topic ${topic} is one of the agent's own topics`;
    if (this.#o.topics.parse(topic)?.kind === "replies") return undefined;
    if (this.#o.allow?.(topic) === true) return undefined;
    return `the reply topic ${topic} is outside the reply namespace ${this.#o.topics.prefix}replies/{clientId}/{inbox} (allowReplyTopic widens it)`;
  }

  /** The client id whose inbox `topic` is, if it is one. */
  inboxOwner(topic: string): string | undefined {
    const parsed = this.#o.topics.parse(topic);
    return parsed?.kind === "replies" ? parsed.clientId : undefined;
  }
}
