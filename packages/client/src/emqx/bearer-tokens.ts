import { EMQX_AUTHORIZATION_PROPERTY, bearerAuthorization, insecureTokenRefusal } from "@a2a/transport/binding";
import type { Transport } from "@a2a/transport";
import { A2AClientError } from "../errors.js";

/** Where a client's bearer tokens come from (EMQX A2A-over-MQTT profile, `a2a-authorization`). */
export interface BearerTokenOptions {
  /**
   * An OAuth 2.0 access token sent with every request as `a2a-authorization: Bearer <token>`,
   * or a function choosing one per agent (undefined: none for that agent). Acquiring and
   * refreshing tokens is up to you: return a fresh one before it expires. Calls may also
   * pass their own `bearerToken`.
   */
  bearerToken?: string | ((agentId: string) => string | undefined);
  /**
   * Send tokens over a broker URL without TLS (a local test broker). The profile
   * requires TLS wherever tokens travel; without this, such a call fails with
   * INSECURE_TRANSPORT before anything is sent.
   * @default false
   */
  allowInsecureTokens?: boolean;
}

/** Puts each call's token into its service parameters, only over TLS. */
export class BearerTokens {
  readonly #source: BearerTokenOptions["bearerToken"];
  readonly #refusal: string | undefined;

  /** @param brokerUrl the URL of an owned connection; undefined for a transport given as an object (not checkable) */
  constructor(options: BearerTokenOptions & { brokerUrl: string | undefined }) {
    this.#source = options.bearerToken;
    this.#refusal = insecureTokenRefusal(options.brokerUrl, options.allowInsecureTokens);
  }

  /** Adds `a2a-authorization` for a call to `agentId`; throws INSECURE_TRANSPORT instead of sending a token without TLS. */
  apply(agentId: string, callToken: string | undefined, serviceParams: Record<string, string>): void {
    const token = callToken ?? (typeof this.#source === "function" ? this.#source(agentId) : this.#source);
    if (token === undefined) return;
    if (this.#refusal !== undefined) throw new A2AClientError("INSECURE_TRANSPORT", this.#refusal);
    serviceParams[EMQX_AUTHORIZATION_PROPERTY] = bearerAuthorization(token);
  }
}

/** The tokens of calls over the connection to `broker` (a URL is checked for TLS; a Transport given cannot be). */
export function bearerTokens(options: BearerTokenOptions, broker: string | Transport): BearerTokens {
  return new BearerTokens({ ...options, brokerUrl: typeof broker === "string" ? broker : undefined });
}
