import type { JsonRpcErrorObject } from "@a2a/transport/binding";
import type { InboundMessage, MessageProperties, Transport } from "@a2a/transport";
import type { MqttTransportOptions } from "@a2a/transport/mqtt";
import type { Principal } from "../principal.js";
import type { EmqxExtendedOptions } from "./extended-options.js";

/**
 * Serve the EMQX "A2A over MQTT" profile beside this project's binding: one task store,
 * one card content, a second discovery topic and a second request topic, over a second
 * MQTT 5 connection whose client id is the profile's `{org}/{unit}/{agent}` and whose
 * will is the profile card marked offline (docs/emqx-profile.md).
 */
export interface EmqxAgentOptions extends EmqxExtendedOptions {
  /** The unit id (`{unit_id}`). @default "default" */
  unit?: string;
  /** The org id on the profile. @default the agent's orgId with characters outside `[A-Za-z0-9._]` as `_` */
  org?: string;
  /** The agent id on the profile. @default the agent's agentId, mapped like `org` */
  agent?: string;
  /** `$a2a/v1` (the profile, EMQX) or `a2a/v1` (earlier revisions). @default "$a2a/v1" */
  root?: string;
  /**
   * The broker of the profile connection: a URL (the agent opens and owns an MQTT 5
   * connection with client id `{org}/{unit}/{agent}` and the profile will), or a
   * Transport you created (connected to an MQTT 5 broker, with that client id and will,
   * see `emqxOfflineWill()`). @default the agent's `broker` when it is a URL
   */
  broker?: string | Transport;
  /** Further options of the owned profile connection (credentials, TLS). Protocol version 5 is forced. */
  mqtt?: Omit<MqttTransportOptions, "url" | "clientId" | "will" | "protocolVersion">;
  /**
   * Reply topics beyond the profile's recommended `{root}/reply/...` the agent may
   * answer on. The agent's own request and discovery topics are refused whatever this says.
   * @default none
   */
  allowReplyTopic?: (topic: string) => boolean;
  /** The `url` of the profile's entry in `supportedInterfaces`. @default `mqtt://{org}/{unit}/{agent}` */
  interfaceUrl?: string;
  /** Extension points (bearer tokens, pools, binary artifacts, ...). */
  hooks?: EmqxAgentHooks;
}

/** One request received on the profile, as the hooks see it. */
export interface EmqxInboundRequest {
  /** The topic it arrived on (the direct request topic, or a pool topic). */
  topic: string;
  message: InboundMessage;
  /** The MQTT 5 user properties, keys as sent. */
  userProperties: Readonly<Record<string, string>>;
  /** When the agent received it (ms since the epoch). */
  receivedAt: number;
}

/** What `authorize` decides for a request. */
export type EmqxAuthorization =
  /** Serve it; `principal` (e.g. a verified token's subject) replaces the reply-route principal. */
  | { ok: true; principal?: Principal }
  /** Answer it with this error (e.g. -32600 / an A2A auth error) and do not serve it. */
  | { ok: false; error: JsonRpcErrorObject };

/** One publication of a reply (a JSON-RPC reply or a stream item), before it goes out. */
export interface EmqxReplyPublication {
  payload: string | Uint8Array;
  properties: MessageProperties;
}

/**
 * Where the profile's Extended levels plug in. Every hook is optional; each runs for
 * profile requests only, never for this project's own scheme.
 */
export interface EmqxAgentHooks {
  /**
   * Decides whether a request is served, before it is parsed further: e.g. validate
   * the bearer token of `a2a-authorization` (signature, `exp`, `iss`, `aud`, scopes).
   * `method` and `params` are the request's, when it is a JSON-RPC request.
   */
  authorize?(request: EmqxInboundRequest, call: { method: string; params: unknown }): EmqxAuthorization | Promise<EmqxAuthorization>;
  /** Further filters the profile connection subscribes to with the same handler (e.g. `$share/...` pool topics). */
  subscriptions?(): readonly string[];
  /** User properties added to every reply and stream item of `request` (e.g. `a2a-responder-agent-id`). */
  replyProperties?(request: EmqxInboundRequest): Record<string, string> | undefined;
  /**
   * Rewrites one reply publication of `request` into the publications to send instead
   * (e.g. an artifact update as native binary chunks). Runs after `replyProperties`.
   */
  transformReply?(request: EmqxInboundRequest, reply: EmqxReplyPublication): EmqxReplyPublication[] | Promise<EmqxReplyPublication[]>;
  /** User properties added to the card publications (beside `a2a-status` and `a2a-status-source`). */
  cardProperties?(status: "online" | "offline"): Record<string, string> | undefined;
}
