import { randomBytes } from "node:crypto";
import type { StreamResponse } from "@a2a/schema";
import type { Logger, Transport } from "@a2a/transport";
import {
  EMQX_DEFAULT_UNIT,
  EmqxProfileUnsupportedError,
  createEmqxTopicScheme,
  formatEmqxAddress,
  parseEmqxAddress,
  toEmqxId,
  validateEmqxId,
  type EmqxAddress,
  type EmqxTopicScheme,
} from "@a2a/transport/binding";
import type { AgentQuery } from "../discovery.js";
import type { StreamOptions } from "../client-options.js";
import type { Parse } from "../result-parsers.js";
import type { EmqxClientOptions } from "./emqx-client-options.js";
import { EmqxDirectory, type EmqxAgentInfo } from "./emqx-directory.js";
import { EmqxRequester, type EmqxCall } from "./emqx-requester.js";
import type { BearerTokens } from "./bearer-tokens.js";
import { composeClientHooks, extendedClientHooks } from "./extended-client-hooks.js";
import { EmqxPoolRoutes, parseEmqxPoolId, type EmqxTarget } from "./emqx-pool-routes.js";

export interface EmqxSessionOptions {
  emqx: EmqxClientOptions;
  /** The client's own `broker`: the profile connection's default. */
  broker: string | Transport;
  username?: string | undefined;
  password?: string | undefined;
  maxPayloadBytes?: number | undefined;
  logger: Logger;
  signal?: AbortSignal | undefined;
  /** The client's bearer tokens, checked against this connection's URL. */
  tokens: BearerTokens;
}

/**
 * The client's side of the EMQX profile: its MQTT 5 connection (client id
 * `{org}/{unit}/{agent}`), the requester and the directory of profile cards.
 */
export class EmqxSession {
  readonly self: EmqxAddress;
  readonly topics: EmqxTopicScheme;
  readonly requester: EmqxRequester;
  readonly directory: EmqxDirectory | undefined;
  readonly #transport: Transport;
  readonly #owned: boolean;

  private constructor(made: { transport: Transport; owned: boolean; self: EmqxAddress; topics: EmqxTopicScheme; options: EmqxSessionOptions }) {
    const { transport, owned, self, topics, options } = made;
    const { emqx } = options;
    this.#transport = transport;
    this.#owned = owned;
    this.self = self;
    this.topics = topics;
    this.requester = new EmqxRequester({
      transport,
      topics,
      self,
      policy: emqx.retry,
      random: emqx.random,
      messageExpirySeconds: emqx.messageExpirySeconds,
      // The Extended levels' hooks in front of the user's: bearer tokens, the artifact mode, binary chunks.
      hooks: composeClientHooks(extendedClientHooks({ tokens: options.tokens }), emqx.hooks),
      pools: new EmqxPoolRoutes({ transport, topics }),
      maxPayloadBytes: options.maxPayloadBytes,
    });
    this.directory = emqx.discovery === false ? undefined : new EmqxDirectory({ transport, topics, scopes: emqx.discoveryScopes, trustedJwksUris: emqx.trustedJwksUris });
  }

  /** Connects (an owned connection), refuses a 3.1.1 broker, subscribes the reply topic. */
  static async open(options: EmqxSessionOptions): Promise<EmqxSession> {
    const { emqx } = options;
    const self: EmqxAddress = {
      org: validateEmqxId(emqx.org ?? "default", "EMQX org id"),
      unit: validateEmqxId(emqx.unit ?? EMQX_DEFAULT_UNIT, "EMQX unit id"),
      agent: validateEmqxId(emqx.agent ?? `client_${randomBytes(6).toString("hex")}`, "EMQX agent id"),
    };
    const topics = createEmqxTopicScheme(emqx.root === undefined ? {} : { root: emqx.root });
    const broker = emqx.broker ?? options.broker;
    const owned = typeof broker === "string";
    // Loaded on demand, as for the client's own connection: in-process users never load mqtt.js.
    const transport = owned
      ? new (await import("@a2a/transport/mqtt")).MqttTransport({
          ...(options.username === undefined ? {} : { username: options.username }),
          ...(options.password === undefined ? {} : { password: options.password }),
          ...emqx.mqtt,
          url: broker,
          // "auto" rather than 5: a 3.1.1 broker is then named plainly below.
          protocolVersion: "auto",
          clientId: formatEmqxAddress(self),
          // A generated requester id keeps no session behind; a stable one keeps it five minutes.
          clean: emqx.agent === undefined,
          ...(emqx.agent === undefined ? {} : { sessionExpirySeconds: 300 }),
          logger: options.logger,
        })
      : broker;
    try {
      await transport.connect(options.signal === undefined ? {} : { signal: options.signal });
      if (transport.capabilities.protocolVersion !== 5) throw new EmqxProfileUnsupportedError(`the client's profile connection (${formatEmqxAddress(self)})`);
      const session = new EmqxSession({ transport, owned, self, topics, options });
      await session.requester.start();
      return session;
    } catch (error) {
      if (owned) await transport.close().catch(() => undefined);
      throw error;
    }
  }

  call(call: EmqxCall, parse: Parse): Promise<unknown> {
    return this.requester.call(call, parse);
  }

  stream(call: EmqxCall<StreamOptions>): AsyncIterable<StreamResponse> {
    return this.requester.stream(call);
  }

  async agents(query: AgentQuery = {}): Promise<EmqxAgentInfo[]> {
    if (this.directory === undefined) return [];
    await this.directory.load();
    return this.directory.list(query);
  }

  async close(): Promise<void> {
    await this.directory?.close();
    await this.requester.close();
    if (this.#owned) await this.#transport.close();
  }
}

/**
 * The profile address a call to `agentId` goes to, or undefined when it goes over this
 * project's binding: `org/unit/agent` ids whenever the profile is on; `org/agent` ids
 * with `scheme: "always"`, mapped with this client's unit (and `-` etc. as `_`).
 */
export function emqxTarget(emqx: EmqxClientOptions | undefined, agentId: string): EmqxTarget | undefined {
  if (emqx === undefined) return undefined;
  const pool = parseEmqxPoolId(agentId);
  if (pool !== undefined) return pool;
  const address = parseEmqxAddress(agentId);
  if (address !== undefined) return address;
  if (emqx.scheme !== "always") return undefined;
  const [org, agent, ...rest] = agentId.split("/");
  if (org === undefined || agent === undefined || rest.length > 0) return undefined;
  return { org: toEmqxId(org), unit: emqx.unit ?? EMQX_DEFAULT_UNIT, agent: toEmqxId(agent) };
}
