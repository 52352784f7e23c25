import type { InboundMessage, MessageProperties, Transport } from "@a2a/transport";
import type { EmqxRetryPolicy, JwksUriPolicyOptions } from "@a2a/transport/binding";
import type { MqttTransportOptions } from "@a2a/transport/mqtt";

/**
 * Talk to agents of the EMQX "A2A over MQTT" profile (docs/emqx-profile.md). The
 * profile needs MQTT 5 and a client id `{org}/{unit}/{agent}`, so the client opens a
 * second connection for it (or uses the Transport given here).
 */
export interface EmqxClientOptions {
  /** The org id of this requester. @default "default" */
  org?: string;
  /** The unit id of this requester; also the unit of `org/agent` ids with `scheme: "always"`. @default "default" */
  unit?: string;
  /** The agent id of this requester (its client id is `{org}/{unit}/{agent}`). @default `client_` + 12 random hex digits */
  agent?: string;
  /** `$a2a/v1` (the profile, EMQX) or `a2a/v1` (earlier revisions). @default "$a2a/v1" */
  root?: string;
  /**
   * The broker of the profile connection: a URL (an owned MQTT 5 connection), or a
   * Transport you created (MQTT 5, client id `{org}/{unit}/{agent}`).
   * @default the client's `broker` when it is a URL
   */
  broker?: string | Transport;
  /** Further options of the owned profile connection (credentials, TLS). Protocol version 5 is forced. */
  mqtt?: Omit<MqttTransportOptions, "url" | "clientId" | "protocolVersion">;
  /**
   * Which calls go over the profile: `"per-agent"` sends ids of three segments
   * (`org/unit/agent`, as the profile's discovery lists them) over the profile and
   * `org/agent` over this project's binding; `"always"` sends every call over the
   * profile, an `org/agent` id mapped to `{org}/{unit}/{agent}` with this client's unit
   * (the agent's mapping of its ids, docs/emqx-profile.md).
   * @default "per-agent"
   */
  scheme?: "per-agent" | "always";
  /** The requester retry and timeout profile; the profile's defaults (15 s, 30 s, 3 attempts, 1-2-4 s ±20 %). */
  retry?: Partial<EmqxRetryPolicy>;
  /** Watch the retained profile cards (`{root}/discovery/+/+/+`, or the units given). @default true */
  discovery?: boolean;
  /**
   * The trusted JWKS URI policy for cards (the profile's Extended "trusted JKU"): a card
   * whose extensions name a `jwksUri` these do not trust (exact URIs, or prefixes ending
   * in `/`; https only) is not taken into the directory. @default every card is taken
   */
  trustedJwksUris?: JwksUriPolicyOptions;
  /** Watch only these `{org, unit}` scopes' cards. @default every card */
  discoveryScopes?: readonly { org?: string; unit?: string }[];
  /** Message Expiry Interval of requests, in seconds (the profile: more than the first-reply timeout). @default none */
  messageExpirySeconds?: number;
  /** Random numbers in [0, 1) for the backoff jitter. @default Math.random */
  random?: () => number;
  /** Extension points (bearer tokens, artifact mode, ...). */
  hooks?: EmqxClientHooks;
}

/** One call about to be published. */
export interface EmqxOutboundCall {
  /** `org/unit/agent`. */
  target: string;
  method: string;
  params: unknown;
  /** 1 for the first publish, 2.. for retries. */
  attempt: number;
  /** The call's own options (its bearer token, the artifact mode it asks for). */
  options?: { bearerToken?: string; artifactMode?: "json" | "binary" };
}

/** Where the profile's Extended levels plug in on the requester side. */
export interface EmqxClientHooks {
  /** User properties added to a request publication (e.g. `a2a-authorization`, `a2a-artifact-mode`). */
  requestProperties?(call: EmqxOutboundCall): Record<string, string> | undefined | Promise<Record<string, string> | undefined>;
  /**
   * A correlated reply that is not JSON (e.g. a native binary artifact chunk): return the
   * stream item it stands for, or undefined to drop it.
   */
  decodeNonJsonReply?(message: InboundMessage): unknown;
  /** Sees each correlated reply's properties (e.g. `a2a-responder-agent-id`, `a2a-artifact-mode`). */
  observeReply?(call: { target: string; method: string }, properties: MessageProperties): void;
}
