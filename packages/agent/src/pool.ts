import type { InboundMessage, MessageProperties, PublishOptions, Subscription, TopicScheme, Transport, WillMessage } from "@a2a/transport";
import {
  ACCEPT_CLAIM_USER_PROPERTY,
  CLAIM_USER_PROPERTY,
  DEFAULT_POOL_GROUP,
  RESPONDER_USER_PROPERTY,
  encodeInstancePresence,
  instancePresenceTopic,
  instanceTasksTopic,
  poolSharedFilter,
  type DecodedRequest,
  type PresenceStatus,
} from "@a2a/transport/binding";
import { validateTopicSegment } from "@a2a/transport";

/** One instance of an agent pool (docs/binding.md, "Agent pools"). */
export interface AgentPoolOptions {
  /**
   * This instance's id: unique in the pool, stable across restarts, one topic level. It
   * names the instance's own request topic `{org}/{agent}/tasks/{instanceId}` and its
   * presence `discovery/{org}/{agent}/instances/{instanceId}`.
   */
  instanceId: string;
  /** The shared subscription group, `$share/{group}/{org}/{agent}/tasks`. @default "a2a" */
  group?: string;
}

/** Thrown by `start()` of a pool instance on a broker without MQTT 5 shared subscriptions. */
export class PoolUnsupportedError extends Error {
  override readonly name = "PoolUnsupportedError";
}

export interface PoolMembershipOptions extends AgentPoolOptions {
  topics: TopicScheme;
  tasksTopic: string;
  discoveryTopic: string;
  onError: (error: unknown) => void;
}

/**
 * What makes an agent one instance of a pool: the shared and the direct subscription,
 * the instance's presence (its will), the responder property on its replies and the
 * claim of each request that arrives through the shared subscription.
 */
export class PoolMembership {
  readonly instanceId: string;
  readonly #o: PoolMembershipOptions;
  readonly #sharedFilter: string;
  readonly #presenceTopic: string;
  #unlisten: (() => void) | undefined;

  constructor(options: PoolMembershipOptions) {
    this.#o = options;
    this.instanceId = validateTopicSegment(options.instanceId, "pool instance id");
    const group = validateTopicSegment(options.group ?? DEFAULT_POOL_GROUP, "pool group");
    this.#sharedFilter = poolSharedFilter(group, options.tasksTopic);
    this.#presenceTopic = instancePresenceTopic(options.discoveryTopic, this.instanceId);
  }

  /** `a2a-agent.{org}.{agent}/{instanceId}`, the id a broker binding client ids to users accepts. */
  clientId(orgId: string, agentId: string): string {
    return `a2a-agent.${orgId}.${agentId}/${this.instanceId}`;
  }

  /** The instance's will: its own presence, offline. The pool's card stays as long as other instances run. */
  will(): WillMessage {
    return { topic: this.#presenceTopic, payload: encodeInstancePresence(this.instanceId, "offline"), qos: 1, retain: true };
  }

  /** Subscribes to the pool's shared topic and the instance's own, and announces the instance. */
  async join(transport: Transport, handler: (message: InboundMessage) => void): Promise<Subscription> {
    const { protocolVersion, sharedSubscriptions } = transport.capabilities;
    if (protocolVersion !== 5 || !sharedSubscriptions) {
      throw new PoolUnsupportedError(
        `An agent pool needs MQTT 5 shared subscriptions, which this broker ${protocolVersion === 5 ? "does not offer" : "(MQTT 3.1.1, e.g. the embedded aedes broker) cannot offer"}: ` +
          "run the pool on mosquitto, EMQX or HiveMQ, or run a single instance (without `pool`) here. Several instances without a pool would each run every request.",
      );
    }
    const shared = await transport.subscribe(this.#sharedFilter, handler, { qos: 1 });
    const direct = await transport.subscribe(instanceTasksTopic(this.#o.tasksTopic, this.instanceId), handler, { qos: 1 });
    await this.#announce(transport, "online", true);
    // The will went out when the connection dropped: announce the instance again.
    this.#unlisten = transport.on("connected", (event) => {
      if (event.reconnected) void this.#announce(transport, "online");
    });
    return {
      filter: this.#sharedFilter,
      unsubscribe: async () => {
        await Promise.all([shared.unsubscribe(), direct.unsubscribe()]);
      },
    };
  }

  /** A graceful stop: the instance says it is offline; the pool's card is left to the others. */
  async leave(transport: Transport | undefined): Promise<void> {
    this.#unlisten?.();
    if (transport) await this.#announce(transport, "offline");
  }

  /** `transport`, with every publish naming this instance as the responder. */
  replyTransport(transport: Transport): Transport {
    const instanceId = this.instanceId;
    const publish = (topic: string, payload: Uint8Array | string, options: PublishOptions = {}) => {
      const userProperties = copied(options.properties?.userProperties) as Record<string, string>;
      userProperties[RESPONDER_USER_PROPERTY] = instanceId;
      const properties = copied(options.properties) as MessageProperties;
      properties.userProperties = userProperties;
      const sent = copied(options) as PublishOptions;
      sent.properties = properties;
      return transport.publish(topic, payload, sent);
    };
    return new Proxy(transport, {
      get(target, key) {
        if (key === "publish") return publish;
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /**
   * Tells the requester at once which instance took a request that came through the
   * shared subscription, so that it can fail the call fast if this instance dies.
   * Only for requesters that asked (`a2a-accept-claim: 1`) and reply topics in the
   * scheme's reply namespace.
   */
  claim(transport: Transport, message: InboundMessage, decoded: DecodedRequest): void {
    if (decoded.kind !== "jsonrpc" || decoded.replyTopic === undefined || decoded.correlationData === undefined) return;
    if (message.properties.userProperties?.[ACCEPT_CLAIM_USER_PROPERTY] !== "1") return;
    if (message.topic !== this.#o.tasksTopic || this.#o.topics.parse(decoded.replyTopic)?.kind !== "replies") return;
    transport
      .publish(decoded.replyTopic, "", {
        qos: 1,
        properties: {
          correlationData: decoded.correlationData,
          userProperties: { [RESPONDER_USER_PROPERTY]: this.instanceId, [CLAIM_USER_PROPERTY]: "1" },
        },
      })
      .catch(this.#o.onError);
  }

  async #announce(transport: Transport, status: PresenceStatus, throwOnError = false): Promise<void> {
    try {
      await transport.publish(this.#presenceTopic, encodeInstancePresence(this.instanceId, status), { qos: 1, retain: true });
    } catch (error) {
      if (throwOnError) throw error;
      this.#o.onError(error);
    }
  }
}

/**
 * A copy of a plain options object, member by member: on every reply, and a spread
 * followed by further members leaves V8's fast path (many times slower).
 */
function copied(from: object | undefined): Record<string, unknown> {
  const to: Record<string, unknown> = {};
  if (from === undefined) return to;
  for (const key of Object.keys(from)) to[key] = (from as Record<string, unknown>)[key];
  return to;
}
