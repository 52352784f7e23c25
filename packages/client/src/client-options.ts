import type { Transport } from "@a2a/transport";
import type { MqttTransportOptions } from "@a2a/transport/mqtt";
import type { AgentQuery } from "./discovery.js";
import type { BearerTokenOptions } from "./emqx/bearer-tokens.js";
import type { EmqxClientOptions } from "./emqx/emqx-client-options.js";
import type { ClientObservabilityOptions } from "./telemetry.js";

export interface A2AClientOptions extends ClientObservabilityOptions, BearerTokenOptions {
  /**
   * The broker: an `mqtt://`, `mqtts://`, `ws://` or `wss://` URL (the client opens and
   * owns one connection), or a {@link Transport} you created (shared, never closed by
   * the client).
   */
  broker: string | Transport;
  /**
   * MQTT client id when `broker` is a URL; it also names the reply topic
   * `replies/{clientId}/{inbox}`, so a broker ACL can restrict each client to its own.
   * With a stable id the client keeps a persistent session (five minutes on MQTT 5), so
   * replies sent while it reconnects are not lost; a generated id gets a clean session,
   * so abandoned sessions do not pile up on the broker.
   * @default "a2a-client-" + 12 random hex characters
   */
  clientId?: string;
  /** Topic prefix shared with the agents, e.g. `"acme"`. @default "" */
  topicPrefix?: string;
  /**
   * Default timeout of each call, in milliseconds. Unary calls must complete within it
   * (a blocking SendMessage waits for the task to finish!); streams must deliver their
   * first event within it.
   * @default 30_000
   */
  timeoutMs?: number;
  /**
   * Watch the retained Agent Cards (`discovery/+/+`) so calls to an offline agent fail
   * at once and calls in flight fail when their agent goes offline. Turn off where the
   * broker ACL forbids reading the discovery topics.
   * @default true
   */
  discovery?: boolean;
  /**
   * Watch only the cards of these orgs (`discovery/{org}/+` each) instead of every
   * agent's: with many agents on one broker, each client then receives only the
   * retained cards it needs on every connect (see docs/deployment.md).
   * @default every org
   */
  discoveryOrgs?: readonly string[];
  /**
   * When this client's own connection drops and comes back (e.g. the broker restarted,
   * which publishes every agent's offline will), how long an agent reported offline may
   * take to come back online before the calls in flight to it fail (calls made
   * meanwhile are sent). An agent going offline while this client stays connected fails
   * its calls as soon as one round trip to the broker confirms that the broker is still
   * running (a broker shutting down publishes every will before closing the connections).
   * @default 10_000
   */
  offlineGraceMs?: number;
  /** Username and password when `broker` is a URL. */
  username?: string;
  password?: string;
  /** Further options of the owned MQTT connection (TLS, protocol version, reconnect, ...). */
  mqtt?: Omit<MqttTransportOptions, "url" | "clientId" | "username" | "password">;
  /** Largest reply accepted, in bytes. @default 1_048_576 */
  maxPayloadBytes?: number;
  /**
   * Also speak the EMQX "A2A over MQTT" profile (MQTT 5 only), per agent found or for
   * every call (docs/emqx-profile.md).
   * @default undefined (this project's binding only)
   */
  emqx?: EmqxClientOptions;
}

export interface AgentsOptions extends AgentQuery {
  signal?: AbortSignal;
}

/** Options every call takes. */
export interface CallOptions {
  /**
   * Milliseconds until the call fails with TIMEOUT, counted from the call (connecting to
   * the broker included): for unary calls the whole call (a blocking SendMessage lasts as
   * long as the task), for streams the first event.
   * @default the client's `timeoutMs` (30_000)
   */
  timeoutMs?: number;
  /** Aborts the call (and connecting, when no other call waits for it); it then fails with ABORTED (or the signal's A2AClientError reason). */
  signal?: AbortSignal;
  /** Extension URIs to activate, sent as the `A2A-Extensions` service parameter. */
  extensions?: string[];
  /** A bearer token for this call only (`a2a-authorization`), instead of the client's `bearerToken`. */
  bearerToken?: string;
  /**
   * On the EMQX profile, ask for artifacts as native binary chunks (`binary`, read back
   * as artifact updates with one raw part each, `metadata["a2a-chunk-seqno"]` numbering
   * them; put them together with `ArtifactAssembler`) or JSON (`json`).
   * @default none asked (the agent sends JSON)
   */
  artifactMode?: "json" | "binary";
}

/** Options of streaming calls (SendStreamingMessage, SubscribeToTask). */
export interface StreamOptions extends CallOptions {
  /**
   * Longest pause between two events, in milliseconds, before the stream fails with
   * TIMEOUT. Tasks may legitimately work quietly for long; set it when they should not.
   * @default undefined (no limit after the first event)
   */
  idleTimeoutMs?: number;
  /**
   * Lets the agent publish events that are ready together as one message (the binding
   * extension `urn:a2a-mqtt:ext:frame-batch:v1`, docs/binding.md section 5.2): fewer
   * broker messages for bursts of updates, the same events in the same order. Agents
   * that do not know the extension send one message per event. A client whose
   * `maxPayloadBytes` is below 257 KiB (a full batch) never asks for them.
   * @default true
   */
  frameBatches?: boolean;
}
