import { newId, EMQX_RESPONDER_PROPERTY, type EmqxAddress, type EmqxTopicScheme } from "@a2a/transport/binding";
import type { Transport } from "@a2a/transport";
import { PoolUnsupportedError } from "../pool.js";
import type { EmqxPoolOptions } from "./extended-options.js";


/**
 * One agent as a member of a profile pool: the shared subscription, the responder's
 * `agent_id` in `a2a-responder-agent-id` on every reply (so requesters send follow-ups
 * to its direct topic, where its tasks are), and the start-up check that the broker
 * delivers the pool topic at all. The same parts as this project's own pools
 * (docs/binding.md §11): a deterministic group, the responder property, follow-ups
 * pinned to the responder.
 */
export class EmqxPoolMember {
  readonly sharedFilter: string;
  readonly poolTopic: string;
  readonly #address: EmqxAddress;
  readonly #topics: EmqxTopicScheme;
  readonly #probeTimeoutMs: number;

  constructor(options: EmqxPoolOptions & { address: EmqxAddress; topics: EmqxTopicScheme }) {
    this.#address = options.address;
    this.#topics = options.topics;
    this.poolTopic = options.topics.poolRequest(options.address.org, options.address.unit, options.pool);
    const { org, unit } = options.address;
    this.sharedFilter = options.topics.sharedPoolFilter({ org, unit, pool: options.pool, group: options.group });
    this.#probeTimeoutMs = options.probeTimeoutMs ?? 3000;
  }

  replyProperties(): Record<string, string> {
    return { [EMQX_RESPONDER_PROPERTY]: this.#address.agent };
  }

  /**
   * Checks that the broker delivers messages through a shared subscription under this
   * root: a `$` root on a broker that reserves `$` topics (mosquitto 2.0 accepts
   * `$share/g/$a2a/...` and delivers nothing to it) would leave the pool deaf while it
   * looks subscribed. Throws {@link PoolUnsupportedError} saying what to do.
   */
  async checkDelivery(transport: Transport): Promise<void> {
    const { root } = this.#topics;
    if (!root.startsWith("$")) return;
    if (!transport.capabilities.sharedSubscriptions) {
      throw new PoolUnsupportedError(`The broker offers no MQTT 5 shared subscriptions, so the pool ${this.poolTopic} cannot work here.`);
    }
    const probeTopic = `${root}/probe/${this.#address.org}/${this.#address.unit}/${this.#address.agent}.${newId().replace(/-/g, "")}`;
    let arrived!: () => void;
    const delivered = new Promise<"delivered">((resolve) => (arrived = () => resolve("delivered")));
    const subscription = await transport.subscribe(`$share/a2a.probe/${probeTopic}`, () => arrived(), { qos: 1 });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const ack = await transport.publish(probeTopic, "", { qos: 1 }).catch(() => undefined);
      // A broker that refuses the probe (its ACL) cannot be judged by it: the pool is left to work or not.
      if (ack === undefined) return;
      const noSubscribers = ack.reasonCode === 0x10;
      const outcome = noSubscribers
        ? "unrouted"
        : await Promise.race([delivered, new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), this.#probeTimeoutMs)))]);
      if (outcome !== "delivered") {
        throw new PoolUnsupportedError(
          `This broker does not deliver ${root}/... topics to shared subscriptions (${noSubscribers ? "it answered a probe with PUBACK 0x10, no matching subscribers" : `a probe did not arrive within ${this.#probeTimeoutMs} ms`}): ` +
            `mosquitto 2.0, for one, reserves $ topics for itself and never delivers them to $share/... subscriptions, so pool ${this.poolTopic} would receive nothing. ` +
            `Use the root "a2a/v1" (emqx.root) on brokers other than EMQX, for the pool's members and its requesters alike, or run the pool on EMQX.`,
        );
      }
    } finally {
      clearTimeout(timer);
      await subscription.unsubscribe().catch(() => undefined);
    }
  }
}
