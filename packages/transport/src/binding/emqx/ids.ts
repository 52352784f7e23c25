import { InvalidTopicSegmentError } from "../../topics/topic-segment.js";

/**
 * Identifiers of the EMQX "A2A over MQTT" profile (org, unit, agent, pool and group
 * ids). The current text of the profile allows `^[A-Za-z0-9._]+$`; its first 0.1 text
 * also allowed `-`. Ids this project produces follow the current rule; ids read from
 * the wire are accepted under the earlier one too (be liberal in what you accept).
 */
export const EMQX_ID_PATTERN = /^[A-Za-z0-9._]+$/;
/** The 0.1 text's rule, `-` included: what a parsed topic may carry. */
export const EMQX_LENIENT_ID_PATTERN = /^[A-Za-z0-9._-]+$/;
/** Longest id accepted (the profile recommends at most 64 for group ids; ids here get 128 like ours). */
export const EMQX_MAX_ID_LENGTH = 128;

/** A profile address: `{org_id}/{unit_id}/{agent_id}`, also the MQTT client id of that agent. */
export interface EmqxAddress {
  org: string;
  unit: string;
  agent: string;
}

/** Checks one profile id; `lenient` also allows `-`. Returns it unchanged. */
export function validateEmqxId(value: unknown, label: string, options: { lenient?: boolean } = {}): string {
  if (typeof value !== "string") throw new InvalidTopicSegmentError(label, value, "must be a string");
  if (value.length === 0 || value.length > EMQX_MAX_ID_LENGTH) {
    throw new InvalidTopicSegmentError(label, value, `must be 1..${EMQX_MAX_ID_LENGTH} characters`);
  }
  const pattern = options.lenient === true ? EMQX_LENIENT_ID_PATTERN : EMQX_ID_PATTERN;
  if (!pattern.test(value)) {
    throw new InvalidTopicSegmentError(
      label,
      value,
      `must match ${pattern.source} (the EMQX A2A profile's identifier rule); derive one with toEmqxId()`,
    );
  }
  return value;
}

/** True when `value` passes `validateEmqxId` with the same options. */
export function isValidEmqxId(value: unknown, options: { lenient?: boolean } = {}): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= EMQX_MAX_ID_LENGTH && (options.lenient === true ? EMQX_LENIENT_ID_PATTERN : EMQX_ID_PATTERN).test(value);
}

/**
 * One of our ids (any topic segment) as a profile id: every character outside
 * `[A-Za-z0-9._]` becomes `_` (`my-org` → `my_org`). Deterministic, so an agent and a
 * client derive the same address; two ids differing only there map to the same one,
 * so give explicit profile ids when that matters.
 */
export function toEmqxId(id: string): string {
  const mapped = id.replace(/[^A-Za-z0-9._]/g, "_");
  return mapped.length > EMQX_MAX_ID_LENGTH ? mapped.slice(0, EMQX_MAX_ID_LENGTH) : mapped;
}

/** The default unit of an agent or client that names none (the reference SDK's default too). */
export const EMQX_DEFAULT_UNIT = "default";

/**
 * The profile address of our agent `{orgId}/{agentId}`: explicit profile ids win, the
 * others are derived with {@link toEmqxId}; the unit defaults to `"default"`.
 */
export function emqxAddressOf(ids: { orgId: string; agentId: string }, profile: { org?: string; unit?: string; agent?: string } = {}): EmqxAddress {
  return {
    org: validateEmqxId(profile.org ?? toEmqxId(ids.orgId), "EMQX org id"),
    unit: validateEmqxId(profile.unit ?? EMQX_DEFAULT_UNIT, "EMQX unit id"),
    agent: validateEmqxId(profile.agent ?? toEmqxId(ids.agentId), "EMQX agent id"),
  };
}

/** `org/unit/agent` → the address (lenient: a discovered agent may use `-`); undefined when it is not one. */
export function parseEmqxAddress(id: string): EmqxAddress | undefined {
  const parts = id.split("/");
  if (parts.length !== 3 || !parts.every((p) => isValidEmqxId(p, { lenient: true }))) return undefined;
  const [org, unit, agent] = parts as [string, string, string];
  return { org, unit, agent };
}

/** `{org}/{unit}/{agent}`: the profile's client id and the address form clients use. */
export function formatEmqxAddress(address: EmqxAddress): string {
  return `${address.org}/${address.unit}/${address.agent}`;
}
