import { setTimeout as sleep } from "node:timers/promises";
import type { AgentCard } from "@a2a/schema";
import type { InboundMessage, Logger, Subscription, Transport, WillMessage } from "@a2a/transport";
import type { MqttTransportOptions } from "@a2a/transport/mqtt";
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  EmqxProfileUnsupportedError,
  createEmqxTopicScheme,
  decodeRequest,
  emqxAddressOf,
  emqxBindingError,
  formatEmqxAddress,
  type DecodedRequest,
  type EmqxAddress,
  type EmqxTopicScheme,
  type PresenceStatus,
  type ReplyRoute,
  stripAuthorization,
} from "@a2a/transport/binding";
import type { A2AAgentOptions } from "../agent-options.js";
import { defaultHandlers } from "../handlers/index.js";
import type { Principal } from "../principal.js";
import { Replier } from "../replier.js";
import { createRequestIntake, type RequestIntake, type RequestIntakeOptions } from "../request-intake.js";
import type { ReplyObserver } from "../telemetry/agent-telemetry.js";
import { emqxCardMessage, withEmqxInterface } from "./emqx-card.js";
import { emqxHandlers } from "./emqx-handlers.js";
import type { EmqxAgentHooks, EmqxAgentOptions, EmqxInboundRequest } from "./emqx-options.js";
import { emqxReplyTransport } from "./emqx-reply-transport.js";
import { EmqxRequests, type EmqxRequestState } from "./emqx-requests.js";
import { withProfileVersion, emqxRouteRefusal, emqxRoutePrincipal } from "./emqx-routes.js";

export interface EmqxEndpointOptions {
  ids: { orgId: string; agentId: string };
  emqx: EmqxAgentOptions;
  /** The agent's `broker`: the profile connection's default broker. */
  agentBroker: string | Transport;
  /** The agent's `mqtt` options (credentials, TLS), used unless `emqx.mqtt` is given. */
  agentMqtt?: Omit<MqttTransportOptions, "url" | "clientId" | "clean" | "will"> | undefined;
  maxPayloadBytes?: number | undefined;
  logger: Logger;
  onError: (error: unknown) => void;
}

/** What the agent hands the endpoint when it starts. */
export interface EmqxEndpointStart {
  /** The card (with both interfaces). */
  card: () => AgentCard;
  /** Runs one request under the agent's telemetry. */
  serve: (decoded: DecodedRequest, run: (observer: ReplyObserver) => Promise<void>) => Promise<void>;
  signal?: AbortSignal | undefined;
}

/**
 * The agent's presence on the EMQX "A2A over MQTT" profile: a second MQTT 5 connection
 * (client id `{org}/{unit}/{agent}`, the profile card marked offline as its will) that
 * publishes the retained card on `{root}/discovery/{org}/{unit}/{agent}` and serves
 * `{root}/request/{org}/{unit}/{agent}` through the agent's own runtime.
 */
export class EmqxEndpoint {
  readonly address: EmqxAddress;
  readonly topics: EmqxTopicScheme;
  readonly #o: EmqxEndpointOptions;
  readonly #hooks: EmqxAgentHooks;
  readonly #requests = new EmqxRequests();
  #transport: Transport | undefined;
  #owned = false;
  #card: (() => AgentCard) | undefined;
  #intake: RequestIntake | undefined;
  #serve: EmqxEndpointStart["serve"] | undefined;
  #intakeOptions: Omit<RequestIntakeOptions, "transport"> | undefined;
  #replies: Transport | undefined;
  #subscriptions: Subscription[] = [];
  #unlisten: (() => void) | undefined;
  #status: PresenceStatus = "online";
  readonly #inflight = new Set<Promise<void>>();

  constructor(options: EmqxEndpointOptions) {
    this.#o = options;
    this.#hooks = options.emqx.hooks ?? {};
    this.address = emqxAddressOf(options.ids, options.emqx);
    this.topics = createEmqxTopicScheme(options.emqx.root === undefined ? {} : { root: options.emqx.root });
    // Validates the address now rather than at start().
    this.topics.request(this.address);
  }

  /** `{org}/{unit}/{agent}`: the profile address and MQTT client id. */
  get id(): string {
    return formatEmqxAddress(this.address);
  }

  get requestTopic(): string {
    return this.topics.request(this.address);
  }

  get discoveryTopic(): string {
    return this.topics.discovery(this.address);
  }

  /** The transport of the profile connection once started. */
  get transport(): Transport | undefined {
    return this.#transport;
  }

  /** The card with the profile's interface entry added. */
  withInterface(card: AgentCard): AgentCard {
    return withEmqxInterface(card, this.#o.emqx.interfaceUrl ?? `mqtt://${this.id}`);
  }

  /** The will of the profile connection: the card, offline, `a2a-status-source=lwt`, retained. */
  offlineWill(card: AgentCard): WillMessage {
    return emqxCardMessage({ topic: this.discoveryTopic, card, status: "offline", source: "lwt", extra: this.#hooks.cardProperties?.("offline") });
  }

  /** The intake options of the agent's own scheme: one set of services (tasks, store, limits) for both. */
  useIntake(options: Omit<RequestIntakeOptions, "transport">): void {
    this.#intakeOptions = options;
  }

  async start(start: EmqxEndpointStart): Promise<void> {
    const intake = this.#intakeOptions;
    if (intake === undefined) throw new Error("EmqxEndpoint.start() before useIntake()");
    this.#card = start.card;
    this.#serve = start.serve;
    const transport = await this.#createTransport(start.card());
    this.#transport = transport;
    try {
      await transport.connect(start.signal === undefined ? {} : { signal: start.signal });
      if (transport.capabilities.protocolVersion !== 5) {
        throw new EmqxProfileUnsupportedError(`the profile connection of agent ${this.id}`);
      }
      const replies = emqxReplyTransport(transport, this.#requests, this.#hooks);
      this.#replies = replies;
      const base = { ...defaultHandlers(), ...intake.options.operations };
      this.#intake = createRequestIntake({
        ...intake,
        transport: replies,
        pool: undefined,
        options: { ...intake.options, operations: emqxHandlers(base, this.#requests) },
        principalOf: (route) => this.#principalOf(route),
        frameBatches: false,
      });
      const onMessage = (message: InboundMessage) => this.#onMessage(message, replies);
      for (const filter of [this.requestTopic, ...(this.#hooks.subscriptions?.() ?? [])]) {
        this.#subscriptions.push(await transport.subscribe(filter, onMessage, { qos: 1 }));
      }
      this.#unlisten = transport.on("connected", (event) => {
        // Retained cards vanish with a broker restart that keeps no persistence.
        if (event.reconnected) void this.publishCard(this.#status).catch(this.#o.onError);
      });
      await this.publishCard("online");
    } catch (error) {
      await this.#closeTransport();
      throw error;
    }
  }

  /**
   * Publishes the retained card with this status (`a2a-status-source=agent`). A stopping
   * agent publishes it offline rather than clearing it: the profile's graceful disconnect.
   */
  async publishCard(status: PresenceStatus): Promise<void> {
    this.#status = status;
    const transport = this.#transport;
    if (transport === undefined || this.#card === undefined) return;
    const { topic, payload, ...options } = emqxCardMessage({
      topic: this.discoveryTopic,
      card: this.#card(),
      status,
      source: "agent",
      extra: this.#hooks.cardProperties?.(status),
    });
    await transport.publish(topic, payload, options);
  }

  /**
   * Stops serving the profile: the card offline (`a2a-status-source=agent`, the
   * profile's graceful disconnect), the request subscriptions gone, requests being
   * served answered (for at most `graceMs`), then the owned connection closed.
   */
  async stop(graceMs = 1000): Promise<void> {
    this.#unlisten?.();
    if (this.#status !== "offline") await this.publishCard("offline").catch(this.#o.onError);
    await Promise.all(this.#subscriptions.splice(0).map((s) => s.unsubscribe().catch(this.#o.onError)));
    await Promise.race([Promise.allSettled([...this.#inflight]), sleep(graceMs, undefined, { ref: false })]);
    await this.#closeTransport();
  }

  async #createTransport(card: AgentCard): Promise<Transport> {
    const broker = this.#o.emqx.broker ?? this.#o.agentBroker;
    if (typeof broker !== "string") {
      if (this.#o.emqx.broker === undefined) {
        throw new TypeError(
          "The agent was given a Transport, so the EMQX profile needs its own connection: set emqx.broker to a URL or to an MQTT 5 Transport with client id " +
            `${JSON.stringify(this.id)} and the will emqxOfflineWill(options, agent.card).`,
        );
      }
      return broker;
    }
    this.#owned = true;
    // Loaded on demand, as for the agent's own connection: in-process agents never load mqtt.js.
    const { MqttTransport } = await import("@a2a/transport/mqtt");
    const { protocolVersion: _ignored, ...mqtt } = { ...(this.#o.emqx.mqtt ?? this.#o.agentMqtt ?? {}) } as MqttTransportOptions;
    return new MqttTransport({
      ...mqtt,
      url: broker,
      // "auto" rather than 5: on a 3.1.1 broker start() then says so plainly.
      protocolVersion: "auto",
      clientId: this.id,
      // A pool member keeps no session: mosquitto would go on handing a dead member's
      // share of the pool's requests to its stored session (docs/binding.md §11).
      ...(this.#o.emqx.pool === undefined ? {} : { clean: true }),
      will: this.offlineWill(card),
      logger: this.#o.logger,
    });
  }

  async #closeTransport(): Promise<void> {
    const transport = this.#transport;
    this.#transport = undefined;
    if (transport !== undefined && this.#owned) await transport.close().catch(this.#o.onError);
  }

  #principalOf(route: ReplyRoute): Principal | undefined {
    return this.#requests.get(route)?.principal ?? emqxRoutePrincipal(route.replyTopic, this.topics);
  }

  #onMessage(message: InboundMessage, replies: Transport): void {
    // A retained request would run again on every subscribe; requests are never retained.
    if (message.retain || this.#intake === undefined) return;
    const receivedAt = Date.now();
    const { responseTopic, correlationData, messageExpiryInterval } = message.properties;
    if (responseTopic === undefined) {
      this.#o.onError(new Error(`Dropped a request on ${message.topic}: it has no MQTT 5 Response Topic, so it cannot be answered (EMQX A2A profile)`));
      return;
    }
    const refusal = emqxRouteRefusal(responseTopic, this.topics, {
      own: [this.requestTopic, this.discoveryTopic],
      allow: this.#o.emqx.allowReplyTopic,
    });
    if (refusal !== undefined) {
      this.#o.onError(new Error(`Dropped a request: ${refusal}`));
      return;
    }
    const decoded = decodeRequest(withProfileVersion(message), { maxPayloadBytes: this.#o.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES });
    const route: ReplyRoute = { replyTopic: responseTopic };
    if (correlationData !== undefined) route.correlationData = correlationData;
    const id = decoded.kind === "jsonrpc" ? (decoded.request.id ?? null) : decoded.kind === "invalid" ? decoded.id : null;
    const refuse = (error: Parameters<Replier["errorObject"]>[0]) =>
      this.#track(new Replier({ transport: replies, route, id, onError: this.#o.onError }).errorObject(error));
    if (correlationData === undefined) {
      return refuse(emqxBindingError("transport_protocol_error", "The request has no MQTT 5 Correlation Data; the EMQX A2A profile requires Response Topic and Correlation Data on every request"));
    }
    if (decoded.kind === "compact") {
      return refuse({ code: -32600, message: "Compact Task Requests are not part of the EMQX A2A profile; send a JSON-RPC request" });
    }
    const request: EmqxInboundRequest = { topic: message.topic, message, userProperties: message.properties.userProperties ?? {}, receivedAt };
    const state: EmqxRequestState = { request };
    if (messageExpiryInterval !== undefined) state.expiresAt = receivedAt + messageExpiryInterval * 1000;
    // The token is for the agent's check, never for handlers, logs or replies.
    if (decoded.kind === "jsonrpc") stripAuthorization(decoded.serviceParams);
    this.#track(this.#serveRequest(decoded, state, route));
  }

  async #serveRequest(decoded: DecodedRequest, state: EmqxRequestState, route: ReplyRoute): Promise<void> {
    const release = this.#requests.hold(route, state);
    try {
      if (this.#hooks.authorize !== undefined && decoded.kind === "jsonrpc") {
        const verdict = await this.#hooks.authorize(state.request, { method: decoded.request.method, params: decoded.request.params });
        if (!verdict.ok) {
          await new Replier({ transport: this.#replies!, route, id: decoded.request.id ?? null, onError: this.#o.onError }).errorObject(verdict.error);
          return;
        }
        if (verdict.principal !== undefined) state.principal = verdict.principal;
      }
      const intake = this.#intake!;
      await this.#serve!(decoded, (observer) => intake(decoded, observer));
    } finally {
      release();
    }
  }

  #track(work: Promise<void>): void {
    const tracked = work.catch(this.#o.onError).finally(() => this.#inflight.delete(tracked));
    this.#inflight.add(tracked);
  }
}

/**
 * The will of an agent's EMQX profile connection, for an MQTT 5 Transport you create
 * yourself and give as `emqx.broker`: the profile card, offline, `a2a-status-source=lwt`,
 * retained. `card` is the agent's (`agent.card`).
 * @example
 * const profile = new MqttTransport({ url, protocolVersion: 5, clientId: "acme/plant1/echo", will: emqxOfflineWill(options, agent.card) });
 */
export function emqxOfflineWill(agent: Pick<A2AAgentOptions, "orgId" | "agentId" | "emqx">, card: AgentCard): WillMessage {
  const emqx = agent.emqx ?? {};
  const address = emqxAddressOf(agent, emqx);
  const topics = createEmqxTopicScheme(emqx.root === undefined ? {} : { root: emqx.root });
  return emqxCardMessage({ topic: topics.discovery(address), card, status: "offline", source: "lwt", extra: emqx.hooks?.cardProperties?.("offline") });
}
