import type { InboundMessage } from "@a2a/transport";
import { EMQX_A2A_VERSION, HEADER_VERSION, isValidReplyTopic, type EmqxTopicScheme } from "@a2a/transport/binding";
import type { Principal } from "../principal.js";

/**
 * Why the agent must not answer on `replyTopic`, or undefined when it may: the
 * profile's reply topics `{root}/reply/{org}/{unit}/{agent}/...` (and those
 * `allow` admits), never a wildcard topic or the agent's own topics.
 */
export function emqxRouteRefusal(
  replyTopic: string,
  topics: EmqxTopicScheme,
  options: { own: readonly string[]; allow?: ((topic: string) => boolean) | undefined },
): string | undefined {
  if (!isValidReplyTopic(replyTopic) || /^\$(share|SYS)\//.test(replyTopic)) {
    return `the Response Topic ${JSON.stringify(replyTopic)} is not a topic name one can publish to`;
  }
  if (options.own.includes(replyTopic) || replyTopic.startsWith(`${topics.root}/discovery/`)) {
    return `the Response Topic ${JSON.stringify(replyTopic)} is a discovery or request topic of this agent`;
  }
  if (topics.parse(replyTopic)?.kind === "reply") return undefined;
  if (options.allow?.(replyTopic) === true) return undefined;
  return `the Response Topic ${JSON.stringify(replyTopic)} is outside ${topics.root}/reply/{org}/{unit}/{agent}/... (widen it with emqx.allowReplyTopic)`;
}

/**
 * The owner of a profile reply route: the requester address of `{root}/reply/{org}/{unit}/{agent}/{suffix}`
 * (every suffix of one requester), which an ACL `{root}/reply/%c/#` keeps to the client
 * with id `{org}/{unit}/{agent}`; any other topic is its own principal.
 */
export function emqxRoutePrincipal(replyTopic: string | undefined, topics: EmqxTopicScheme): Principal | undefined {
  if (replyTopic === undefined) return undefined;
  const parsed = topics.parse(replyTopic);
  if (parsed?.kind === "reply") return { kind: "topic", topic: `${topics.root}/reply/${parsed.org}/${parsed.unit}/${parsed.agent}` };
  return { kind: "topic", topic: replyTopic };
}

/** The request with `A2A-Version: 1.0` when it names none: the profile is A2A 1.0 (ours reads none as 0.3). */
export function withProfileVersion(message: InboundMessage): InboundMessage {
  const user = message.properties.userProperties ?? {};
  if (Object.keys(user).some((key) => key.toLowerCase() === HEADER_VERSION.toLowerCase())) return message;
  return { ...message, properties: { ...message.properties, userProperties: { ...user, [HEADER_VERSION]: EMQX_A2A_VERSION } } };
}
