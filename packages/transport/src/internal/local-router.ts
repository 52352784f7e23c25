import { matchTopic } from "../topics/match-topic.js";
import type { InboundMessage, MessageHandler, QoS } from "../transport.js";

/** One `subscribe()` call. */
export interface LocalSubscription {
  readonly filter: string;
  readonly handler: MessageHandler;
  readonly qos: QoS;
}

/** One subscription at the broker, shared by every local subscription to its filter. */
export interface BrokerFilter {
  readonly filter: string;
  /** MQTT 5 subscription identifier: tells which filter a message arrived for. */
  readonly subscriptionId: number;
  qos: QoS;
  readonly locals: Set<LocalSubscription>;
  /** `locals` as an array, made when first routed to and dropped on every change. */
  targets?: LocalSubscription[] | undefined;
}

/** How long, and how many, messages that no local subscription wants are kept. */
const UNROUTED_TTL_MS = 30_000;
const UNROUTED_MAX = 1_000;

/**
 * Multiplexes many local subscriptions over one connection: one broker subscription
 * per distinct filter (reference counted), and local dispatch of each message to every
 * local subscription whose filter matches — exactly once, even when filters overlap.
 *
 * Messages that match no local subscription are kept for a short while (bounded): a
 * persistent session delivers its queued messages right after CONNACK, before the
 * application had a chance to subscribe again, and they must not be lost.
 */
export class LocalRouter {
  private readonly filters = new Map<string, BrokerFilter>();
  private readonly ids = new Map<number, BrokerFilter>();
  private nextId = 1;
  private unrouted: Array<{ message: InboundMessage; at: number }> = [];

  /** Registers a local subscription; `created` is true when the filter is new. */
  add(local: LocalSubscription): { brokerFilter: BrokerFilter; created: boolean } {
    let brokerFilter = this.filters.get(local.filter);
    const created = !brokerFilter;
    if (!brokerFilter) {
      // Subscription identifiers are 1..268,435,455; wrap long before that.
      const subscriptionId = this.nextId;
      this.nextId = this.nextId >= 0xfffffff ? 1 : this.nextId + 1;
      brokerFilter = { filter: local.filter, subscriptionId, qos: local.qos, locals: new Set() };
      this.filters.set(local.filter, brokerFilter);
      this.ids.set(subscriptionId, brokerFilter);
    }
    brokerFilter.qos = Math.max(brokerFilter.qos, local.qos) as QoS;
    brokerFilter.locals.add(local);
    brokerFilter.targets = undefined;
    return { brokerFilter, created };
  }

  /** Removes a local subscription; `last` is true when the broker filter is now unused. */
  remove(local: LocalSubscription): { last: boolean } {
    const brokerFilter = this.filters.get(local.filter);
    if (!brokerFilter || !brokerFilter.locals.delete(local)) return { last: false };
    brokerFilter.targets = undefined;
    if (brokerFilter.locals.size > 0) return { last: false };
    this.filters.delete(local.filter);
    this.ids.delete(brokerFilter.subscriptionId);
    return { last: true };
  }

  /** Every filter subscribed at the broker, to restore after a session was lost. */
  brokerFilters(): BrokerFilter[] {
    return [...this.filters.values()];
  }

  /**
   * Finds the local subscriptions for a message. With MQTT 5 subscription identifiers
   * only the filters the broker named are used (so a `$share` copy and a normal copy of
   * one message each reach their own subscribers); identifiers that do not match the
   * topic (left in a persistent session by an earlier process) are ignored.
   */
  route(message: InboundMessage, subscriptionIds?: readonly number[]): LocalSubscription[] {
    const { topic } = message;
    const matched: BrokerFilter[] = [];
    if (subscriptionIds && subscriptionIds.length > 0) {
      for (const id of subscriptionIds) {
        const brokerFilter = this.ids.get(id);
        if (brokerFilter && matchTopic(brokerFilter.filter, topic)) matched.push(brokerFilter);
      }
    }
    if (matched.length === 0) {
      for (const brokerFilter of this.filters.values()) if (matchTopic(brokerFilter.filter, topic)) matched.push(brokerFilter);
    }
    // The common case, one filter: its cached array (callers only iterate it).
    const only = matched.length === 1 ? matched[0] : undefined;
    if (only !== undefined && only.locals.size > 0) return (only.targets ??= [...only.locals]);
    const targets = new Set<LocalSubscription>();
    for (const brokerFilter of matched) for (const local of brokerFilter.locals) targets.add(local);
    if (targets.size === 0) this.keepUnrouted(message);
    return [...targets];
  }

  /** Takes the kept messages the new subscription's filter matches, oldest first. */
  takeUnrouted(filter: string): InboundMessage[] {
    this.expireUnrouted();
    const taken: InboundMessage[] = [];
    this.unrouted = this.unrouted.filter((entry) => {
      if (!matchTopic(filter, entry.message.topic)) return true;
      taken.push(entry.message);
      return false;
    });
    return taken;
  }

  private keepUnrouted(message: InboundMessage): void {
    this.expireUnrouted();
    this.unrouted.push({ message, at: Date.now() });
    if (this.unrouted.length > UNROUTED_MAX) this.unrouted.shift();
  }

  private expireUnrouted(): void {
    const limit = Date.now() - UNROUTED_TTL_MS;
    while (this.unrouted.length > 0 && (this.unrouted[0]?.at ?? 0) < limit) this.unrouted.shift();
  }
}
