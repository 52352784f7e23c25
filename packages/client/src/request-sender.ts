import {
  ACCEPT_CLAIM_USER_PROPERTY,
  encodeRequest,
  HEADER_EXTENSIONS,
  HEADER_VERSION,
  PROTOCOL_VERSION,
} from "@a2a/transport/binding";
import type { PublishOptions, PublishResult, Transport } from "@a2a/transport";
import type { RequestTopics } from "./request-topics.js";
import type { AgentDirectory, AgentInfo } from "./discovery.js";
import { A2AClientError } from "./errors.js";
import type { OutgoingRequest, Publisher } from "./pending-call.js";
import type { PendingRequests } from "./pending-requests.js";
import type { PoolRoutes } from "./pool-routes.js";
import type { BearerTokens } from "./emqx/bearer-tokens.js";

/** MQTT 5 PUBACK reason code "No matching subscribers". */
const NO_MATCHING_SUBSCRIBERS = 0x10;

export interface RequestSenderOptions {
  transport: Transport;
  /** The request topic of each agent. */
  requestTopics: RequestTopics;
  pending: PendingRequests;
  replyTopic: string;
  directory: AgentDirectory | undefined;
  /**
   * True while an offline card of the agent may still come from a broker restart; the
   * call is then sent, and fails with the agent's other calls if it stays offline.
   */
  judgingOffline?: (agentId: string) => boolean;
  /** Sends follow-ups of a pool's tasks to the instance holding them. */
  pool?: PoolRoutes;
  /** Bearer tokens of the calls (`a2a-authorization`). */
  tokens?: BearerTokens | undefined;
}

/**
 * Publishes the requests of calls on the client's connection: checks the agent's card,
 * adds the service parameters and the reply route, routes pool follow-ups, and reads
 * the broker's acknowledgement.
 */
export class RequestSender implements Publisher {
  readonly #o: RequestSenderOptions;
  readonly #requestTopics: RequestTopics;
  readonly #unlisten: () => void;

  constructor(options: RequestSenderOptions) {
    this.#o = options;
    this.#requestTopics = options.requestTopics;
    // A clean session (the default for generated client ids) or a broker that lost the
    // session drops the replies sent while the connection was down: every call in
    // flight asks again with the same id, and the agent answers the repeat from its
    // memory without running it twice (binding section 4.5).
    this.#unlisten = options.transport.on("connected", (event) => {
      if (!event.reconnected || event.sessionPresent) return;
      for (const entry of options.pending.entries()) entry.sessionLost?.();
    });
  }

  /** Stops resending on reconnects. */
  close(): void {
    this.#unlisten();
  }

  /** Checks the agent's card (without waiting when the directory already knows), then sends. */
  publish(call: OutgoingRequest): Promise<void> {
    const directory = this.#o.directory;
    if (directory === undefined) return this.#send(call, undefined);
    const known = directory.get(call.agentId);
    if (known !== undefined || directory.loaded) return this.#send(call, known);
    return directory.lookup(call.agentId, call.options.signal).then((info) => this.#send(call, info));
  }

  resend(call: OutgoingRequest): Promise<void> {
    return this.#send(call, undefined);
  }

  // Not async: a call should not pay for extra promises; failures are returned as rejections.
  #send(call: OutgoingRequest, info: AgentInfo | undefined): Promise<void> {
    let sent: Promise<PublishResult>;
    let topic: string;
    let messageProperties: boolean;
    try {
      const { agentId, options } = call;
      if (info?.status === "offline" && this.#o.judgingOffline?.(agentId) !== true) {
        throw new A2AClientError(
          "AGENT_OFFLINE",
          `Agent ${agentId} is offline${info.since ? ` since ${info.since}` : ""} according to its Agent Card; retry when it is back online.`,
        );
      }
      if (call.isDone()) return Promise.resolve(); // timed out or aborted while looking the agent up
      const serviceParams: Record<string, string> = { [HEADER_VERSION]: PROTOCOL_VERSION };
      if (options.extensions && options.extensions.length > 0) serviceParams[HEADER_EXTENSIONS] = options.extensions.join(",");
      call.span?.inject(serviceParams);
      this.#o.tokens?.apply(agentId, options.bearerToken, serviceParams);
      const { transport } = this.#o;
      messageProperties = transport.capabilities.messageProperties;
      const encoded = encodeRequest({
        request: { jsonrpc: "2.0", id: call.id, method: call.method, params: call.params },
        replyTopic: this.#o.replyTopic,
        // Correlation data travels only as an MQTT 5 property.
        ...(messageProperties ? { correlationData: Buffer.from(call.id, "utf8") } : {}),
        serviceParams,
        messageProperties,
        // A request nobody picked up before the caller gave up must not run later.
        messageExpiryInterval: Math.max(1, Math.ceil(call.timeoutMs / 1000)),
      });
      topic = this.#requestTopics.of(agentId);
      const pool = this.#o.pool;
      if (pool) {
        topic = pool.topicFor(call, topic);
        // Pool instances then claim the request as it arrives (docs/binding.md, "Agent pools").
        if (messageProperties) {
          const properties = (encoded.options.properties ??= {});
          properties.userProperties = { ...properties.userProperties, [ACCEPT_CLAIM_USER_PROPERTY]: "1" };
        }
      }
      const publishOptions: PublishOptions = options.signal ? { ...encoded.options, signal: options.signal } : encoded.options;
      sent = transport.publish(topic, encoded.payload, publishOptions);
    } catch (error) {
      return Promise.reject(error);
    }
    // Only MQTT 5 acknowledgements carry a reason code worth reading.
    if (!messageProperties) return sent as Promise<unknown> as Promise<void>;
    return sent.then((result) => {
      if (result.reasonCode === NO_MATCHING_SUBSCRIBERS) {
        throw new A2AClientError(
          "AGENT_OFFLINE",
          `No agent is listening on ${topic} (the broker reported no matching subscribers); check the agent id or start the agent.`,
        );
      }
    });
  }
}

