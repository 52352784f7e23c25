import { isStreamingMethod, normalizeMethod, SKILL_METADATA_KEY, type AgentCard } from "@a2a/schema";
import type { Transport } from "@a2a/transport";
import { authorizationOf, isJsonObject, stripAuthorization, type DecodedRequest } from "@a2a/transport/binding";
import { rejected } from "../compact.js";
import type { Principal } from "../principal.js";
import { Replier } from "../replier.js";
import type { BearerTokenVerifier } from "./bearer-auth.js";

export interface RequestGuardOptions {
  verifier: BearerTokenVerifier;
  card: () => AgentCard;
  /** Where refusals are published. */
  transport: Transport;
  onError: (error: unknown) => void;
}

/**
 * Checks a request's bearer token before anything else serves it (the profile: "before
 * processing the request"): resolves with the token's principal, or answers the refusal
 * (an error, an error stream frame, or a rejected compact Task Result) and resolves with
 * undefined. Nothing of the token is echoed or reported.
 */
export type RequestGuard = (decoded: DecodedRequest) => Promise<Principal | undefined>;

export function createRequestGuard(options: RequestGuardOptions): RequestGuard {
  const { verifier, card, transport, onError } = options;
  return async (decoded) => {
    if (decoded.kind === "invalid") return undefined;
    const skillId = decoded.kind === "compact" ? compactSkill(decoded.request) : messageSkill(decoded.request.method, decoded.request.params, card());
    const check = await verifier.check(authorizationOf(decoded.serviceParams), card(), skillId);
    // The token is for this check, never for handlers (which could echo it), logs or replies.
    stripAuthorization(decoded.serviceParams);
    if (check.ok) return check.principal;
    if (check.internal !== undefined) onError(check.internal);
    if (decoded.replyTopic === undefined) return undefined; // a notification: nobody to tell
    const route = decoded.correlationData === undefined ? { replyTopic: decoded.replyTopic } : { replyTopic: decoded.replyTopic, correlationData: decoded.correlationData };
    if (decoded.kind === "compact") {
      const id = decoded.request.id;
      if (typeof id === "string" && id !== "") {
        await new Replier({ transport, route, id: null, onError }).raw(rejected(id, decoded.request.taskId, check.error.message));
      }
      return undefined;
    }
    const replier = new Replier({ transport, route, id: decoded.request.id ?? null, onError });
    const method = normalizeMethod(decoded.request.method);
    await (method !== undefined && isStreamingMethod(method) ? replier.errorFrame(check.error) : replier.errorObject(check.error));
    return undefined;
  };
}

/** The skill a message names (`metadata.skillId`), else the card's only skill; undefined for other operations. */
export function messageSkill(method: string, params: unknown, card: AgentCard): string | undefined {
  const normalized = normalizeMethod(method);
  if (normalized !== "SendMessage" && normalized !== "SendStreamingMessage") return undefined;
  const message = isJsonObject(params) ? params.message : undefined;
  const named = isJsonObject(message) && isJsonObject(message.metadata) ? message.metadata[SKILL_METADATA_KEY] : undefined;
  if (typeof named === "string") return named;
  return card.skills.length === 1 ? card.skills[0]!.id : undefined;
}

function compactSkill(request: Record<string, unknown>): string | undefined {
  return typeof request.operation === "string" ? request.operation : undefined;
}
