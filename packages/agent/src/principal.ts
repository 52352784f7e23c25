import type { Task } from "@a2a/schema";
import type { TopicScheme } from "@a2a/transport";

/**
 * Who sent a request, as far as the agent can trust it. On MQTT that is the owner of the
 * reply route: the client id level of `{prefix}replies/{clientId}/...`, which the broker's
 * ACL lets only that client read (naming another client's inbox gets the sender no
 * answer). A route outside the reply namespace (allowed only when the agent widens its
 * reply-route policy) is owned by whoever can read that topic. A verified bearer token's
 * subject is the other kind a deployment can plug in.
 */
export type Principal =
  | { kind: "reply-route"; clientId: string }
  | { kind: "topic"; topic: string }
  | { kind: "token"; subject: string };

/**
 * The member of a stored task naming its owner (a {@link principalKey}). It travels with
 * the task into every store, a durable one included, and is removed from every copy a
 * client receives. Tasks without it (compact requests, requests without a reply route)
 * are unscoped.
 */
export const OWNER_MEMBER = "a2aMqttOwner";

/** A stored task, with its owner. */
export type OwnedTask = Task & { [OWNER_MEMBER]?: string };

/** One string per principal, as kept with a task. */
export function principalKey(principal: Principal): string {
  switch (principal.kind) {
    case "reply-route":
      return `reply-route:${principal.clientId}`;
    case "topic":
      return `topic:${principal.topic}`;
    case "token":
      return `token:${principal.subject}`;
  }
}

/**
 * The scheme, with `parse` remembering the last topic it parsed: a request's reply topic
 * is parsed for its route check and again for its principal, and a client sends its
 * requests with one reply topic. Parse results are never changed by their readers.
 */
export function rememberLastParse(topics: TopicScheme): TopicScheme {
  let lastTopic: string | undefined;
  let last: ReturnType<TopicScheme["parse"]>;
  const parse = topics.parse.bind(topics);
  return {
    ...topics,
    parse(topic) {
      if (topic !== lastTopic) {
        last = parse(topic);
        lastTopic = topic;
      }
      return last;
    },
  };
}

/** The principal owning a reply topic; undefined without one (nobody can be answered). */
export function replyRoutePrincipal(replyTopic: string | undefined, topics: TopicScheme): Principal | undefined {
  if (replyTopic === undefined) return undefined;
  const parsed = topics.parse(replyTopic);
  if (parsed?.kind === "replies") return { kind: "reply-route", clientId: parsed.clientId };
  return { kind: "topic", topic: replyTopic };
}

/** The owner key kept with a task, if any. */
export function ownerOf(task: Task): string | undefined {
  return (task as OwnedTask)[OWNER_MEMBER];
}

/** Marks a new task as owned by `owner` (nothing for an unscoped task). */
export function setOwner(task: Task, owner: string | undefined): void {
  if (owner !== undefined) (task as OwnedTask)[OWNER_MEMBER] = owner;
}

/**
 * Decides which tasks a request may see: with scoping on, its own and unscoped ones; a
 * request without a principal only unscoped ones. With scoping off, every task.
 */
export class TaskAccess {
  readonly scoped: boolean;

  constructor(options: { scoped: boolean }) {
    this.scoped = options.scoped;
  }

  /** The owner to record on a task a request creates. */
  ownerFor(principal: Principal | undefined): string | undefined {
    return this.scoped && principal !== undefined ? principalKey(principal) : undefined;
  }

  canSee(task: Task, principal: Principal | undefined): boolean {
    return this.visibleTo(principal)(task);
  }

  /** The test of {@link canSee} for one principal, for filtering many tasks. */
  visibleTo(principal: Principal | undefined): (task: Task) => boolean {
    if (!this.scoped) return () => true;
    const key = principal === undefined ? undefined : principalKey(principal);
    return (task) => {
      const owner = ownerOf(task);
      return owner === undefined || owner === key;
    };
  }
}
