import type { AgentCard, SecurityRequirement } from "@a2a/schema";

/**
 * Which scopes a request needs, read from the Agent Card as A2A v1.0 declares them:
 * `securityRequirements` of the card (every operation) and of the skill a message is for.
 * A list of requirements is a choice (one must hold); within one requirement every
 * named scheme applies with all its scopes.
 */

/** The scopes missing from `granted` for the easiest requirement to meet; [] when one holds. */
export function missingScopes(
  requirements: readonly SecurityRequirement[] | undefined,
  scheme: string,
  granted: ReadonlySet<string>,
): string[] | undefined {
  if (requirements === undefined || requirements.length === 0) return [];
  let best: string[] | undefined;
  for (const requirement of requirements) {
    const names = Object.keys(requirement.schemes);
    // A requirement naming another scheme cannot be met by a bearer token alone.
    if (names.some((name) => name !== scheme)) continue;
    const needed = requirement.schemes[scheme]?.list ?? [];
    const missing = needed.filter((s) => !granted.has(s));
    if (missing.length === 0) return [];
    if (best === undefined || missing.length < best.length) best = missing;
  }
  // undefined: no requirement this scheme can meet at all.
  return best;
}

/** The card's requirements and, for a message to a skill, the skill's. */
export function requirementsFor(card: AgentCard, skillId: string | undefined): { agent?: SecurityRequirement[]; skill?: SecurityRequirement[] } {
  const out: { agent?: SecurityRequirement[]; skill?: SecurityRequirement[] } = {};
  if (card.securityRequirements !== undefined) out.agent = card.securityRequirements;
  const skill = skillId === undefined ? undefined : card.skills.find((s) => s.id === skillId);
  if (skill?.securityRequirements !== undefined) out.skill = skill.securityRequirements;
  return out;
}

/** The scopes a JWT grants: `scope` (space-separated, RFC 8693/9068) and `scp` (a list or a string). */
export function grantedScopes(claims: Record<string, unknown>): Set<string> {
  const scopes = new Set<string>();
  const add = (value: unknown) => {
    const list: unknown[] = typeof value === "string" ? value.split(" ") : Array.isArray(value) ? value : [];
    for (const s of list) if (typeof s === "string" && s !== "") scopes.add(s);
  };
  add(claims.scope);
  add(claims.scp);
  return scopes;
}
