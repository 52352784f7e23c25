/**
 * Names and numbers of the EMQX "A2A over MQTT" profile: MQTT 5 user properties,
 * presence values, the card interface entry and the requester retry profile.
 */

/** `online` / `offline` on card publications (and, broker-managed, on delivery). */
export const EMQX_STATUS_PROPERTY = "a2a-status";
/** Who set `a2a-status`: `agent`, `lwt` (the will) or `broker` (broker-managed status). */
export const EMQX_STATUS_SOURCE_PROPERTY = "a2a-status-source";
/** The concrete responder of a pooled request or a task handed over (its `agent_id`). */
export const EMQX_RESPONDER_PROPERTY = "a2a-responder-agent-id";
/** `Bearer <token>`: a per-request OAuth 2.0 access token; never echoed. */
export const EMQX_AUTHORIZATION_PROPERTY = "a2a-authorization";
/** The task's context id, for transport-level visibility; must match the payload when both are present. */
export const EMQX_CONTEXT_ID_PROPERTY = "a2a-context-id";
/** Requested and chosen artifact encoding: `json` (default) or `binary`. */
export const EMQX_ARTIFACT_MODE_PROPERTY = "a2a-artifact-mode";
/** Native binary artifact chunk metadata (Extended conformance). */
export const EMQX_EVENT_TYPE_PROPERTY = "a2a-event-type";
export const EMQX_TASK_ID_PROPERTY = "a2a-task-id";
export const EMQX_ARTIFACT_ID_PROPERTY = "a2a-artifact-id";
export const EMQX_CHUNK_SEQNO_PROPERTY = "a2a-chunk-seqno";
export const EMQX_LAST_CHUNK_PROPERTY = "a2a-last-chunk";

export type EmqxStatus = "online" | "offline";
export type EmqxStatusSource = "agent" | "lwt" | "broker";

/**
 * The `protocolBinding` of the profile's entry in a card's `supportedInterfaces`, as
 * the reference SDK writes it. A client picks the profile for an agent found by any
 * means (HTTP, our discovery) when its card has such an entry.
 */
export const EMQX_PROTOCOL_BINDING = "MQTTv5+JSONRPCv2";

/** The A2A version of the profile (A2A 1.0.0). A request without `A2A-Version` on the profile means this. */
export const EMQX_A2A_VERSION = "1.0";

/**
 * The requester retry and timeout profile (a MUST of Core conformance); every value is
 * configurable, these are the profile's defaults.
 */
export interface EmqxRetryPolicy {
  /** Wait for the first correlated reply of an attempt. @default 15_000 */
  firstReplyTimeoutMs: number;
  /** Longest gap between stream items once one arrived; then `GetTask` recovers. @default 30_000 */
  streamIdleTimeoutMs: number;
  /** Total attempts (the first plus retries). @default 3 */
  maxAttempts: number;
  /** Backoff before retry 1, 2, 3, ... (the last repeats). @default [1000, 2000, 4000] */
  backoffMs: readonly number[];
  /** Relative jitter applied to each backoff, ±. @default 0.2 */
  jitter: number;
}

export const EMQX_RETRY_DEFAULTS: Readonly<EmqxRetryPolicy> = Object.freeze({
  firstReplyTimeoutMs: 15_000,
  streamIdleTimeoutMs: 30_000,
  maxAttempts: 3,
  backoffMs: Object.freeze([1000, 2000, 4000]),
  jitter: 0.2,
});

/** The delay before retry number `retry` (1 = the first retry), jittered with `random()` in [0, 1). */
export function emqxRetryDelay(policy: Pick<EmqxRetryPolicy, "backoffMs" | "jitter">, retry: number, random: () => number = Math.random): number {
  const steps = policy.backoffMs;
  if (steps.length === 0) return 0;
  const base = steps[Math.min(Math.max(retry, 1), steps.length) - 1]!;
  return Math.max(0, base * (1 + policy.jitter * (2 * random() - 1)));
}
