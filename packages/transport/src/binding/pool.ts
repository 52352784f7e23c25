import { isJsonObject } from "./payload.js";
import type { PresenceStatus } from "./presence.js";

/**
 * Agent pools (docs/binding.md, "Agent pools"): N instances of one agent take requests
 * from one MQTT 5 shared subscription, and every follow-up goes to the instance that
 * holds the task.
 */

/** User property on every reply of a pool instance: the id of the instance that answered. */
export const RESPONDER_USER_PROPERTY = "a2a-responder-agent-id";
/**
 * User property of a claim: an instance tells the requester, as soon as the request
 * arrives and before running it, that it took the request (empty payload, the request's
 * correlation data). Sent only to requesters that ask for it with {@link ACCEPT_CLAIM_USER_PROPERTY}.
 */
export const CLAIM_USER_PROPERTY = "a2a-claim";
/** User property of a request: `"1"` when the requester understands claims. */
export const ACCEPT_CLAIM_USER_PROPERTY = "a2a-accept-claim";
/** The default shared subscription group of a pool. */
export const DEFAULT_POOL_GROUP = "a2a";

/** `$share/{group}/{tasksTopic}`: the pool's shared request subscription. */
export function poolSharedFilter(group: string, tasksTopic: string): string {
  return `$share/${group}/${tasksTopic}`;
}

/** `{tasksTopic}/{instanceId}`: one instance's own request topic, for follow-ups. */
export function instanceTasksTopic(tasksTopic: string, instanceId: string): string {
  return `${tasksTopic}/${instanceId}`;
}

/** `{discoveryTopic}/instances/{instanceId}`: one instance's retained presence. */
export function instancePresenceTopic(discoveryTopic: string, instanceId: string): string {
  return `${discoveryTopic}/instances/${instanceId}`;
}

/** What an instance's presence topic holds. */
export interface InstancePresence {
  instanceId: string;
  status: PresenceStatus;
  /** ISO 8601 UTC time the status began. */
  since: string;
}

/** The retained payload of an instance's presence. */
export function encodeInstancePresence(instanceId: string, status: PresenceStatus, since: Date = new Date()): string {
  return JSON.stringify({ instanceId, status, since: since.toISOString() } satisfies InstancePresence);
}

/** An instance's presence from its payload; undefined for an empty (cleared) or invalid one. */
export function decodeInstancePresence(payload: Uint8Array): InstancePresence | undefined {
  if (payload.byteLength === 0 || payload.byteLength > 4096) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(payload));
    if (!isJsonObject(value)) return undefined;
    const { instanceId, status, since } = value;
    if (typeof instanceId !== "string" || (status !== "online" && status !== "offline") || typeof since !== "string") return undefined;
    return { instanceId, status, since };
  } catch {
    return undefined;
  }
}
