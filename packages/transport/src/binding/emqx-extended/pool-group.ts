/**
 * Shared-subscription pools of the EMQX A2A-over-MQTT profile ("Optional Shared
 * Subscription Dispatch"): requesters publish to `{root}/request/{org}/{unit}/pool/{pool}`,
 * members consume it through `$share/{group}/...` with one deterministic group id.
 */

/** Broker limit the profile recommends for a shared subscription group id. */
export const MAX_POOL_GROUP_LENGTH = 64;

/** `{root}/request/{org}/{unit}/pool/{pool}`: the pool topic requesters publish to. */
export function poolRequestTopic(root: string, ids: { orgId: string; unitId: string; poolId: string }): string {
  return `${root}/request/${ids.orgId}/${ids.unitId}/pool/${ids.poolId}`;
}

/**
 * The pool's group id: `a2a.{org}.{unit}.{pool}` with every character outside
 * `[A-Za-z0-9._]` replaced by `_`; longer than 64 characters, it is cut and ends in `_`
 * and an 8-hex-digit hash of the whole base, so distinct pools keep distinct groups.
 * Every member computes the same id from the same three ids (never a random one: each
 * member would then get every request).
 */
export function poolGroupId(ids: { orgId: string; unitId: string; poolId: string }): string {
  const base = `a2a.${ids.orgId}.${ids.unitId}.${ids.poolId}`.replace(/[^A-Za-z0-9._]/g, "_");
  if (base.length <= MAX_POOL_GROUP_LENGTH) return base;
  const hash = fnv1a32(`${ids.orgId}\u0000${ids.unitId}\u0000${ids.poolId}`).toString(16).padStart(8, "0");
  return `${base.slice(0, MAX_POOL_GROUP_LENGTH - 9)}_${hash}`;
}

/** `$share/{group}/{poolTopic}`: what members subscribe to. */
export function poolSharedSubscription(group: string, poolTopic: string): string {
  return `$share/${group}/${poolTopic}`;
}

/** FNV-1a, 32 bits: a stable short hash that needs no crypto module (the browser bundle uses this file too). */
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
