import type { AgentCard } from "@a2a/schema";
import type { Transport } from "@a2a/transport";
import type { MqttTransportOptions } from "@a2a/transport/mqtt";
import type { CardOptions } from "./card.js";
import type { BearerAuthOptions } from "./emqx/bearer-auth.js";
import type { EmqxAgentOptions } from "./emqx/emqx-options.js";
import type { ResumeWindowOptions } from "./event-window.js";
import type { OperationHandlers } from "./operation.js";
import type { AgentPoolOptions } from "./pool.js";
import type { PushNotificationOptions } from "./push/push-notifier.js";
import type { TaskStore } from "./task-store.js";
import type { AgentObservabilityOptions } from "./telemetry/options.js";

export interface A2AAgentOptions extends CardOptions, AgentObservabilityOptions {
  /**
   * The broker URL (`mqtt://host:1883`, `mqtts://`, `ws://`, `wss://`): the agent then
   * owns an MqttTransport with a stable client id and a persistent session. Or an
   * existing Transport, which the agent uses but never closes (configure its will
   * with {@link A2AAgent.offlineWill} yourself).
   */
  broker: string | Transport;
  /** @default `a2a-agent.{orgId}.{agentId}`: stable, so the persistent session is found again, and one topic level, so an `A2AClient` can share the agent's connection (its replies topic is `replies/{clientId}/...`) */
  clientId?: string;
  /** Further options of the owned MqttTransport (credentials, TLS, protocol version). */
  mqtt?: Omit<MqttTransportOptions, "url" | "clientId" | "clean" | "will">;
  /** @default "" (see docs/binding.md) */
  topicPrefix?: string;
  /** Skill handlers running at the same time. @default 64 */
  maxConcurrentTasks?: number;
  /** Tasks waiting for a free slot; more are refused with a clear error. @default 1024 */
  maxQueuedTasks?: number;
  /** @default a new InMemoryTaskStore (10,000 tasks, terminal tasks kept one hour) */
  taskStore?: TaskStore;
  /**
   * The history messages the Task in a SendMessage reply carries when the request sets
   * no `configuration.historyLength` (A2A leaves that default to the server). The
   * requester sent the message itself; GetTask returns the whole history. Give
   * `Infinity` for the whole history. @default 0 (docs/binding.md section 6)
   */
  replyHistoryLength?: number;
  /** How long `ctx.requestInput()` waits by default. @default 600000 (10 minutes) */
  inputTimeoutMs?: number;
  /** How long `stop()` lets running tasks finish before aborting them. @default 10000 */
  stopGracePeriodMs?: number;
  /** Largest request payload served. @default 1048576 (1 MiB) */
  maxPayloadBytes?: number;
  /** How long a request is remembered to answer its repeats. @default 600000 (10 minutes) */
  dedupWindowMs?: number;
  /** Most requests remembered for de-duplication. @default 10000 */
  dedupMaxEntries?: number;
  /**
   * Most bytes of remembered replies (and request keys) kept for de-duplication; the
   * oldest are forgotten first, so large replies or hostile request ids cannot exhaust memory.
   * @default 67108864 (64 MiB)
   */
  dedupMaxBytes?: number;
  /**
   * The recent events kept per streamed task so that a client that lost its stream
   * resumes it (docs/binding.md section 5.1), bounded per task and in all, in count and
   * bytes; `false` keeps none (streams are then not numbered and cannot be resumed).
   */
  resumeWindow?: ResumeWindowOptions | false;
  /**
   * One bound, in bytes, on what the agent holds for its clients: tasks in the store,
   * remembered replies, queued push notifications, stream buffers and the event windows
   * that resume streams. When new work needs room, ended tasks' event windows are dropped,
   * then remembered replies are forgotten oldest first, then terminal tasks evicted oldest
   * first; when that is not enough, new tasks are refused with -32603 "at capacity" (a rejected Task Result
   * for compact requests). Sizes are estimated (JSON length plus overhead).
   * @default 67108864 (64 MiB: with it, 3,000 requests of 900 KB in a row peak below 400 MB RSS)
   */
  memoryBudgetBytes?: number;
  /** Events buffered per stream before a slow stream is cut off. @default 1024 */
  maxBufferedEvents?: number;
  /**
   * Tasks visible only to the principal that created them (the client id of the reply
   * route, see docs/binding.md §6.1): GetTask, ListTasks, CancelTask, SubscribeToTask,
   * push configs and follow-up messages of other principals' tasks answer -32001. Turn
   * off only for single-tenant deployments where every client may see every task.
   * @default true
   */
  scopeTasks?: boolean;
  /**
   * Reply topics outside the reply namespace (`{prefix}replies/{clientId}/{inbox}`) the
   * agent may publish replies and `mqtt:///` push notifications to. `$` topics and the
   * agent's own topics are refused whatever this says. A request with a refused reply
   * topic is reported to `onError` and dropped (no reply is possible).
   * @default none: only the reply namespace
   */
  allowReplyTopic?: (topic: string) => boolean;
  /** Replaces the handlers of some operations (e.g. push notification configs). */
  operations?: Partial<OperationHandlers>;
  /** Failures no request can be told about (publishing, stores). @default `logger.error` */
  onError?: (error: unknown) => void;
  /**
   * Webhook and delivery settings, used when `pushNotifications` is true (see
   * docs/binding.md, "Push notifications"). Loopback and private addresses are refused
   * unless allowed here.
   */
  push?: PushNotificationOptions;
  /**
   * The extended agent card served by GetExtendedAgentCard: a card, or a function of
   * the public card. Setting it declares `capabilities.extendedAgentCard`. Who may read
   * it is decided by the broker's ACL on the tasks topic.
   */
  extendedCard?: AgentCard | ((card: AgentCard) => AgentCard | Promise<AgentCard>);
  /**
   * Serve as one instance of a pool: several processes of this agent share its requests
   * over an MQTT 5 shared subscription, and each answers the follow-ups of its own tasks
   * (docs/binding.md, "Agent pools"). Needs MQTT 5 (mosquitto, EMQX, HiveMQ).
   * @default undefined (a single instance)
   */
  pool?: AgentPoolOptions;
  /**
   * Require an OAuth 2.0 bearer token (a JWT) on every request, in the user property
   * `a2a-authorization: Bearer <token>` (the EMQX A2A-over-MQTT profile): signature
   * checked against the issuer's JWKS (fetched only from a trusted URI), `exp`, `iss`,
   * `aud`, and the scopes of the card's and the skill's `securityRequirements`. Refusals
   * are -32090 (unauthenticated) and -32091 (missing scope); the token's subject owns the
   * tasks it creates. Needs a TLS broker URL (`mqtts://`, `wss://`) unless
   * `allowInsecureTokens`. See docs/emqx-profile.md.
   * @default undefined (no tokens checked)
   */
  bearerAuth?: BearerAuthOptions;
  /**
   * A complete Agent Card to publish instead of one built from these options and the
   * skills, with this agent's MQTT interface added first: for an agent whose work is
   * done elsewhere through `operations` (a proxy of an HTTP agent). Skills are then optional.
   */
  card?: AgentCard;
  /**
   * Also serve the EMQX "A2A over MQTT" profile (MQTT 5 only): the same tasks and card on
   * `$a2a/v1/discovery/{org}/{unit}/{agent}` and `$a2a/v1/request/{org}/{unit}/{agent}`,
   * over a second connection (docs/emqx-profile.md).
   * @default undefined (this project's binding only)
   */
  emqx?: EmqxAgentOptions;
}
