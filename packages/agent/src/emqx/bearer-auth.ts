import type { AgentCard } from "@a2a/schema";
import {
  JwksUriPolicy,
  readBearerAuthorization,
  type JsonRpcErrorObject,
  type JwksUriPolicyOptions,
} from "@a2a/transport/binding";
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload } from "jose";
import type { Principal } from "../principal.js";
import { permissionDenied, unauthenticated } from "./auth-errors.js";
import { grantedScopes, missingScopes, requirementsFor } from "./required-scopes.js";

/**
 * Per-request OAuth 2.0 bearer tokens (EMQX A2A-over-MQTT profile): every request must
 * carry `a2a-authorization: Bearer <JWT>`; the agent checks the signature against the
 * issuer's JWKS (fetched only from a trusted URI), `exp`, `nbf`, `iss`, `aud`, and the
 * scopes the card requires (the card's `securityRequirements`, and the skill's for a
 * message to that skill).
 */
export interface BearerAuthOptions {
  /** The `iss` tokens must have (one of). */
  issuer: string | readonly string[];
  /** The `aud` tokens must name (one of): usually this agent's own identifier. */
  audience: string | readonly string[];
  /** The issuer's key set. It must be trusted by {@link trustedJwksUris}. */
  jwksUri: string;
  /**
   * The JWKS URIs keys may be fetched from (exact URIs, or prefixes ending in `/`).
   * @default exactly `jwksUri`, which must then be https
   */
  trustedJwksUris?: JwksUriPolicyOptions;
  /** The card's security scheme whose scopes tokens are checked against. @default "bearer" */
  scheme?: string;
  /** Signature algorithms accepted. @default ["RS256", "PS256", "ES256", "ES384", "EdDSA"] */
  algorithms?: readonly string[];
  /** Leeway for `exp` and `nbf`, in seconds. @default 5 */
  clockToleranceSeconds?: number;
  /** How long a key set fetch may take, in milliseconds. @default 5000 */
  jwksTimeoutMs?: number;
  /** Largest key set document read, in bytes. @default 65536 */
  maxJwksBytes?: number;
  /**
   * Accept tokens although the agent's broker URL is not TLS (a local test broker). The
   * profile requires TLS wherever tokens travel.
   * @default false
   */
  allowInsecureTokens?: boolean;
}

/** The outcome of checking one request: its principal, or the error to answer. */
export type BearerCheck = { ok: true; principal: Principal } | { ok: false; error: JsonRpcErrorObject; internal?: unknown };

const DEFAULT_ALGORITHMS = ["RS256", "PS256", "ES256", "ES384", "EdDSA"];

/** Checks bearer tokens against the issuer's keys and the card's scope requirements. */
export class BearerTokenVerifier {
  readonly scheme: string;
  readonly #o: BearerAuthOptions;
  readonly #keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(options: BearerAuthOptions) {
    this.#o = options;
    this.scheme = options.scheme ?? "bearer";
    const policy = new JwksUriPolicy(options.trustedJwksUris ?? { trusted: [options.jwksUri] });
    const url = policy.check(options.jwksUri);
    const maxBytes = options.maxJwksBytes ?? 64 * 1024;
    this.#keys = createRemoteJWKSet(url, {
      timeoutDuration: options.jwksTimeoutMs ?? 5000,
      // A redirect could lead off the trusted URI, and a huge document could exhaust memory.
      [customFetch]: async (input, init) => {
        const response = await fetch(input, { ...init, redirect: "error" });
        return new Response(await readBounded(response, maxBytes), { status: response.status, headers: response.headers });
      },
    });
  }

  /**
   * Checks the `a2a-authorization` value of a request for `skillId` (a message) or for
   * the agent as a whole (every other operation).
   */
  async check(authorization: string | undefined, card: AgentCard, skillId: string | undefined): Promise<BearerCheck> {
    const read = readBearerAuthorization(authorization);
    if ("missing" in read) return refuse(unauthenticated("this agent requires a bearer token in the a2a-authorization user property (\"Bearer <token>\")"));
    if ("malformed" in read) return refuse(unauthenticated(read.malformed));
    let claims: JWTPayload;
    try {
      const verified = await jwtVerify(read.token, this.#keys, {
        issuer: [this.#o.issuer].flat(),
        audience: [this.#o.audience].flat(),
        algorithms: [...(this.#o.algorithms ?? DEFAULT_ALGORITHMS)],
        clockTolerance: this.#o.clockToleranceSeconds ?? 5,
        requiredClaims: ["exp", "iss", "aud"],
      });
      claims = verified.payload;
    } catch (error) {
      return tokenFailure(error);
    }
    const granted = grantedScopes(claims);
    const requirements = requirementsFor(card, skillId);
    for (const [level, list] of [["this agent", requirements.agent], [`skill ${JSON.stringify(skillId)}`, requirements.skill]] as const) {
      const missing = missingScopes(list, this.scheme, granted);
      if (missing === undefined) return refuse(permissionDenied([], `${level} (its security requirements name no ${this.scheme} scheme a token can meet)`));
      if (missing.length > 0) return refuse(permissionDenied(missing, level));
    }
    // `sub` is optional in JWTs; the issuer's client id (`client_id`, `azp`) names a machine client.
    const subject = firstString(claims.sub, claims.client_id, claims.azp) ?? "";
    return { ok: true, principal: { kind: "token", subject: `${claims.iss ?? ""} ${subject}` } };
  }
}

function refuse(error: JsonRpcErrorObject, internal?: unknown): BearerCheck {
  return internal === undefined ? { ok: false, error } : { ok: false, error, internal };
}

/** jose's failures as answers that name the problem but never the token. */
function tokenFailure(error: unknown): BearerCheck {
  if (error instanceof errors.JWTExpired) return refuse(unauthenticated("the token has expired; get a new one and retry"));
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = error.claim;
    if (claim === "aud") return refuse(unauthenticated("the token is not meant for this agent (aud)"));
    if (claim === "iss") return refuse(unauthenticated("the token comes from an issuer this agent does not trust (iss)"));
    if (claim === "nbf") return refuse(unauthenticated("the token is not valid yet (nbf)"));
    return refuse(unauthenticated(`the token's ${claim} claim is missing or invalid`));
  }
  if (error instanceof errors.JWKSTimeout || (error instanceof errors.JOSEError && error.code === "ERR_JOSE_GENERIC") || error instanceof TypeError) {
    // The issuer's keys could not be fetched: not the requester's fault.
    return refuse({ code: -32603, message: "Internal error: the token issuer's keys could not be fetched; retry later" }, error);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return refuse(unauthenticated("the token's signature does not verify"));
  if (error instanceof errors.JWKSNoMatchingKey) return refuse(unauthenticated("the token is signed with a key the issuer's key set does not hold"));
  if (error instanceof errors.JOSEAlgNotAllowed) return refuse(unauthenticated("the token's signature algorithm is not accepted"));
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) return refuse(unauthenticated("the token is not a valid JWT"));
  return refuse(unauthenticated("the token could not be verified"), error);
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === "string" && value !== "") return value;
  return undefined;
}

async function readBounded(response: Response, maxBytes: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (reader === undefined) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = (await reader.read()) as { done: true; value?: undefined } | { done: false; value: Uint8Array };
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new TypeError(`The key set document is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
