import { randomBytes } from "node:crypto";
import { consoleLogger, createTopicScheme, type TopicScheme, type Transport } from "@a2a/transport";
import { AgentHandle } from "./agent-handle.js";
import { CallRunner } from "./call-runner.js";
import type { A2AClientOptions, AgentsOptions } from "./client-options.js";
import { ConnectGate } from "./connect-gate.js";
import { AgentDirectory, type AgentEvent, type AgentInfo, type WatchOptions } from "./discovery.js";
import { A2AClientError, abortError, clientErrorOf, closedError } from "./errors.js";
import { createOwnedTransport } from "./owned-transport.js";
import type { PendingCall, Publisher } from "./pending-call.js";
import { PendingRequests } from "./pending-requests.js";
import { PoolRoutes } from "./pool-routes.js";
import { PresenceGuard } from "./presence-guard.js";
import { RawRequests } from "./raw-requests.js";
import { ReplyInbox } from "./reply-inbox.js";
import { RequestSender } from "./request-sender.js";
import { RequestTopics } from "./request-topics.js";
import { ClientTelemetry } from "./telemetry.js";
import { EmqxCalls } from "./emqx/emqx-calls.js";
import { EmqxSession } from "./emqx/emqx-session.js";
import { bearerTokens } from "./emqx/bearer-tokens.js";

export type { A2AClientOptions, AgentsOptions, CallOptions, StreamOptions } from "./client-options.js";

/**
 * A session with an MQTT broker for calling A2A agents: one connection, one reply
 * subscription, the agent directory and presence, and one table of pending calls; share
 * it across the process. The operations are on the handle of each agent,
 * `client.agent("org/agent")`.
 *
 * @example
 * const client = new A2AClient({ broker: "mqtt://localhost:1883" });
 * const echo = client.agent("my-org/echo");
 * console.log(await echo.sendText("hello"));
 * await client.close();
 */
export class A2AClient {
  readonly #options: A2AClientOptions;
  readonly #topics: TopicScheme;
  readonly #requestTopics: RequestTopics;
  readonly #pending = new PendingRequests();
  readonly #timeoutMs: number;
  readonly #clientId: string;
  readonly #telemetry: ClientTelemetry;
  readonly #runner: CallRunner;
  readonly #gate = new ConnectGate((signal) => this.#open(signal));
  readonly #ownsTransport: boolean;
  #transport: Transport | undefined;
  #directory: AgentDirectory | undefined;
  #presence: PresenceGuard | undefined;
  #inbox: ReplyInbox | undefined;
  #pool: PoolRoutes | undefined;
  #sender: RequestSender | undefined;
  #closed = false;
  #discoveryError: unknown;
  #raw: RawRequests | undefined;
  #unwatch: (() => void) | undefined;
  /** The EMQX profile's connection and requester, and the handles' calls over it, when `emqx` is set (docs/emqx-profile.md). */
  #emqx: EmqxSession | undefined;
  readonly #emqxCalls: EmqxCalls | undefined;

  constructor(options: A2AClientOptions) {
    this.#options = options;
    this.#telemetry = new ClientTelemetry({
      tracerProvider: options.tracerProvider,
      meterProvider: options.meterProvider,
      logger: options.logger ?? consoleLogger(),
    });
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    if (typeof options.broker === "string") {
      this.#ownsTransport = true;
      this.#clientId = options.clientId ?? `a2a-client-${randomBytes(6).toString("hex")}`;
    } else {
      this.#ownsTransport = false;
      this.#transport = options.broker;
      this.#clientId = options.broker.clientId;
    }
    try {
      this.#topics = createTopicScheme({ prefix: options.topicPrefix ?? "" });
      // Fails here, not on the first call, when the id cannot be a topic level.
      this.#topics.repliesFilter(this.#clientId);
    } catch (error) {
      throw new A2AClientError("INVALID_ARGUMENT", `The client's topicPrefix or clientId cannot be used: ${(error as Error).message}`, { cause: error });
    }
    this.#requestTopics = new RequestTopics(this.#topics);
    this.#runner = new CallRunner({
      pending: this.#pending,
      timeoutMs: this.#timeoutMs,
      telemetry: this.#telemetry,
      requestTopics: this.#requestTopics,
      connect: (call) => this.#connectFor(call),
      info: async (id, signal) => (await this.#loadedDirectory(signal)).get(id),
      maxPayloadBytes: options.maxPayloadBytes,
    });
    if (options.emqx) this.#emqxCalls = new EmqxCalls({ emqx: options.emqx, session: () => this.#profile() });
  }

  /** Creates a client and waits until it is connected. */
  static async connect(options: A2AClientOptions & { signal?: AbortSignal }): Promise<A2AClient> {
    const client = new A2AClient(options);
    await client.connect({ signal: options.signal });
    return client;
  }

  /** The MQTT client id (also the reply topic's `{clientId}` level). */
  get clientId(): string {
    return this.#clientId;
  }

  /**
   * Connects (when the client owns the connection), subscribes to the reply inbox and
   * starts discovery. Idempotent; the first call does it anyway, within its own
   * `timeoutMs` and `signal`. Fails with CONNECT_FAILED (the transport's error as
   * `cause`), ABORTED or CLOSED.
   */
  connect(options: { signal?: AbortSignal | undefined } = {}): Promise<void> {
    if (this.#closed) return Promise.reject(closedError());
    if (this.#connected) return Promise.resolve();
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortError(signal, "Connecting the A2A client"));
    const waiter = this.#gate.join();
    if (signal === undefined) return waiter.ready;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        waiter.leave();
        reject(abortError(signal, "Connecting the A2A client"));
      };
      signal.addEventListener("abort", onAbort, { once: true });
      void waiter.ready.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  /** Connects on behalf of a call, which leaves when it times out or is aborted. */
  #connectFor(call: PendingCall): Promise<Publisher> {
    const waiter = this.#gate.join();
    call.onSettle = waiter.leave;
    return waiter.ready.then(() => this.#sender ?? Promise.reject(closedError()));
  }

  /** Connected: the inbox and sender are up, and the profile session too when `emqx` is set. */
  get #connected(): boolean {
    return this.#sender !== undefined && (this.#options.emqx === undefined || this.#emqx !== undefined);
  }

  async #open(signal: AbortSignal): Promise<void> {
    // An attempt abandoned by its waiters may still have got through.
    if (this.#connected) return;
    try {
      let transport = this.#transport;
      if (transport === undefined) {
        transport = await createOwnedTransport(this.#options, this.#clientId, this.#telemetry.logger);
        if (this.#closed) throw closedError();
        this.#transport = transport;
        this.#unwatch = this.#telemetry.watch(transport);
      }
      await transport.connect({ signal });
      if (this.#closed) {
        // close() ran while connecting and could not close what was not there yet.
        if (this.#ownsTransport) await transport.close();
        throw closedError();
      }
      // After a failed profile session the inbox and sender are already in place.
      if (this.#sender === undefined) await this.#subscribe(transport);
      const { emqx, username, password, maxPayloadBytes } = this.#options;
      const tokens = emqx && bearerTokens(this.#options, emqx.broker ?? this.#options.broker);
      if (emqx) {
        const session = await EmqxSession.open({ emqx, broker: this.#options.broker, username, password, maxPayloadBytes, logger: this.#telemetry.logger, signal, tokens: tokens! });
        // close() ran meanwhile and could not close the profile's connection that was not there yet.
        if (this.#closed) {
          await session.close();
          throw closedError();
        }
        this.#emqx = session;
      }
    } catch (error) {
      throw clientErrorOf(error, "CONNECT_FAILED");
    }
  }

  /** The reply inbox, the directory and the request sender on a connected transport. */
  async #subscribe(transport: Transport): Promise<void> {
    const replyTopic = this.#topics.replies(this.#clientId, randomBytes(6).toString("hex"));
    this.#pool = new PoolRoutes({ transport, topics: this.#topics, pending: this.#pending });
    this.#inbox = new ReplyInbox({
      transport,
      topic: replyTopic,
      pending: this.#pending,
      maxPayloadBytes: this.#options.maxPayloadBytes,
      pool: this.#pool,
    });
    await this.#inbox.start();
    if (this.#options.discovery !== false) {
      this.#presence = new PresenceGuard({
        transport,
        graceMs: this.#options.offlineGraceMs ?? 10_000,
        isOffline: (id) => this.#directory?.get(id)?.status === "offline",
        failAgent: (id) => this.#failAgent(id),
        pingBroker: () => this.#pingBroker(transport),
      });
      const directory = new AgentDirectory({
        transport,
        topics: this.#topics,
        orgs: this.#options.discoveryOrgs,
        onEvent: (event) => this.#onAgentEvent(event),
      });
      try {
        await directory.start();
        this.#directory = directory;
      } catch (error) {
        // E.g. the ACL forbids reading discovery/#: calls still work, without presence.
        this.#discoveryError = error;
      }
    }
    this.#sender = new RequestSender({
      transport,
      requestTopics: this.#requestTopics,
      pending: this.#pending,
      replyTopic,
      directory: this.#directory,
      judgingOffline: (id) => this.#presence?.judging(id) === true,
      pool: this.#pool,
      tokens: bearerTokens(this.#options, this.#options.broker),
    });
    this.#runner.publisher = this.#sender;
  }

  #onAgentEvent(event: AgentEvent): void {
    // Only "offline" (the will: the connection died) ends calls in flight, and around a
    // reconnect of this client only once the agent stayed offline (see PresenceGuard). A
    // removed card means a graceful stop, during which the agent still finishes and
    // answers the tasks it is running.
    this.#presence?.onAgentEvent(event);
  }

  /**
   * A SUBSCRIBE and its SUBACK. The filter is a fresh level under this client's reply
   * topic, which any broker ACL that lets the client pick a new inbox must allow, and
   * which matches no message.
   */
  async #pingBroker(transport: Transport): Promise<void> {
    const probe = this.#topics.replies(this.#clientId, `ping-${randomBytes(6).toString("hex")}`);
    const subscription = await transport.subscribe(probe, () => undefined, { qos: 0 });
    void subscription.unsubscribe().catch(() => undefined);
  }

  #failAgent(id: string): void {
    this.#pending.failAgent(
      id,
      () => new A2AClientError("AGENT_OFFLINE", `Agent ${id} went offline before answering; retry when it is back online.`),
    );
  }

  /** Closes the client: pending calls fail with CLOSED; an owned connection is closed. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#runner.closed = true;
    this.#pending.failAll(() => closedError());
    await this.#emqx?.close().catch(() => undefined);
    if (this.#ownsTransport) {
      // Closing the connection also ends a connect still in progress.
      await Promise.allSettled([this.#directory?.close()]); // ends the watches
      await this.#transport?.close();
    }
    // What a connect in progress set up is closed once it has wound down.
    await this.#gate.idle();
    this.#presence?.close();
    this.#sender?.close();
    this.#unwatch?.();
    // A shared transport stays open: remove exactly our subscriptions.
    if (!this.#ownsTransport) await Promise.allSettled([this.#directory?.close(), this.#inbox?.close(), this.#pool?.close()]);
  }

  // ---- discovery -------------------------------------------------------------------

  async #loadedDirectory(signal?: AbortSignal): Promise<AgentDirectory> {
    await this.connect({ signal });
    if (!this.#directory) {
      if (this.#discoveryError !== undefined) {
        throw new A2AClientError(
          "DISCOVERY_UNAVAILABLE",
          "Subscribing to the discovery topics failed (does the broker ACL allow reading them?).",
          { cause: this.#discoveryError },
        );
      }
      throw new A2AClientError("DISCOVERY_UNAVAILABLE", "Discovery is turned off for this client (discovery: false); create it with discovery enabled.");
    }
    await this.#directory.load(signal);
    return this.#directory;
  }

  /**
   * The agents known from their retained cards (after those have arrived), all of them or
   * those offering a skill (id or name), a tag, a status.
   * @example client.findAgents({ tag: "translation", status: "online" })
   */
  async findAgents(options: AgentsOptions = {}): Promise<AgentInfo[]> {
    const { signal, ...query } = options;
    if (this.#options.emqx !== undefined && this.#options.discovery === false) return (await this.#profile()).agents(query);
    const ours = (await this.#loadedDirectory(signal)).list(query);
    return this.#emqx === undefined ? ours : [...ours, ...(await this.#emqx.agents(query))];
  }

  async #profile(): Promise<EmqxSession> {
    await this.connect();
    return this.#emqx ?? Promise.reject(closedError());
  }

  /**
   * Agent events (`online`, `offline`, `updated`, `removed`) as an async iterable,
   * starting with one event per agent already known. Stop it with `signal` or `break`.
   */
  watchAgents(options: WatchOptions = {}): AsyncIterable<AgentEvent> {
    const load = (signal?: AbortSignal) => this.#loadedDirectory(signal);
    return {
      async *[Symbol.asyncIterator]() {
        const directory = await load(options.signal);
        yield* directory.watch(options);
      },
    };
  }

  /** The handle of one agent, `"org/agent"`, with its A2A operations. Throws INVALID_AGENT_ID for an id that cannot be one. */
  agent(id: string): AgentHandle {
    if (this.#emqxCalls?.serves(id) === true) return new AgentHandle(this.#emqxCalls, id);
    this.#requestTopics.of(id);
    return new AgentHandle(this.#runner, id);
  }

  /**
   * Requests passed through unchanged on this client's connection (gateways, proxies):
   * see {@link RawRequests}.
   */
  async rawRequests(options: { signal?: AbortSignal } = {}): Promise<RawRequests> {
    await this.connect(options);
    if (this.#inbox === undefined || this.#transport === undefined) throw closedError();
    return (this.#raw ??= new RawRequests({
      transport: this.#transport,
      requestTopics: this.#requestTopics,
      pending: this.#pending,
      replyTopic: this.#inbox.topic,
      directory: this.#directory,
      timeoutMs: this.#timeoutMs,
    }));
  }
}
