import type { InboundMessage, Subscription, Transport } from "@a2a/transport";
import {
  EMQX_RESPONDER_PROPERTY,
  EMQX_STATUS_PROPERTY,
  isValidEmqxId,
  type EmqxAddress,
  type EmqxTopicScheme,
} from "@a2a/transport/binding";
import { A2AClientError } from "../errors.js";

/** A profile target: one agent, or a unit pool (`org/unit/pool/{pool}`, then `agent` is `"pool"`). */
export type EmqxTarget = EmqxAddress & { pool?: string };

/** Responders whose cards are watched. */
const MAX_WATCHED_RESPONDERS = 1024;

/**
 * How long a responder whose retained card says offline has to publish its online card
 * before the calls pinned to it fail. An agent subscribes before it publishes its card,
 * so a live one can answer while an earlier run's will is still retained; a dead one
 * never publishes again.
 */
export const RETAINED_OFFLINE_GRACE_MS = 2000;

/** The watch of one responder's card, with the check a retained offline card started. */
interface Watch {
  subscribed: Promise<Subscription | undefined>;
  grace?: ReturnType<typeof setTimeout> | undefined;
}

/** `org/unit/pool/{pool}` as a pool target; undefined for any other id. */
export function parseEmqxPoolId(id: string): EmqxTarget | undefined {
  const parts = id.split("/");
  if (parts.length !== 4 || parts[2] !== "pool") return undefined;
  const [org, unit, , pool] = parts as [string, string, string, string];
  if (![org, unit, pool].every((p) => isValidEmqxId(p, { lenient: true }))) return undefined;
  return { org, unit, agent: "pool", pool };
}

/** Something holding a call that can be ended from outside (an exchange). */
export interface PinnedCall {
  fail(error: unknown): void;
}

/**
 * The requester side of the profile's pools, on the same rules as this project's pools
 * (docs/binding.md §11): a pooled reply must name its responder (`a2a-responder-agent-id`;
 * without it the reply is a protocol error), and a responder whose card turns offline
 * (its will, `a2a-status=offline`) fails at once the calls it held: their tasks are gone
 * with it. Follow-ups of a task go to its responder (the requester's `EmqxResponders`);
 * calls no responder took yet keep retrying on the pool topic (the retry profile).
 */
export class EmqxPoolRoutes {
  readonly #transport: Transport;
  readonly #topics: EmqxTopicScheme;
  /** The responder (`org/unit/agent`) each call in flight is pinned to. */
  readonly #pinned = new Map<PinnedCall, { responder: string; target: string }>();
  readonly #watched = new Map<string, Watch>();
  readonly #graceMs: number;

  constructor(options: { transport: Transport; topics: EmqxTopicScheme; retainedOfflineGraceMs?: number }) {
    this.#transport = options.transport;
    this.#topics = options.topics;
    this.#graceMs = options.retainedOfflineGraceMs ?? RETAINED_OFFLINE_GRACE_MS;
  }

  /**
   * A correlated reply of `call` to `target`: pins the call to its responder and watches
   * that responder's card; throws INVALID_RESPONSE for a pooled reply without a valid
   * responder. (Which responder holds which task, for follow-ups, is the requester's
   * `EmqxResponders`, shared with task handover.)
   */
  observe(call: PinnedCall, target: EmqxTarget, properties: { userProperties?: Record<string, string> }): void {
    const responder = properties.userProperties?.[EMQX_RESPONDER_PROPERTY];
    // The current id rule, not the lenient one: its card topic is built from it, which would throw.
    if (responder === undefined || !isValidEmqxId(responder) || responder === "pool") {
      if (target.pool === undefined) return;
      throw new A2AClientError(
        "INVALID_RESPONSE",
        `A reply to a request on pool ${targetId(target)} has no valid ${EMQX_RESPONDER_PROPERTY} user property: a protocol error (the profile requires every pooled reply to name its responder).`,
      );
    }
    this.#pinned.set(call, { responder: `${target.org}/${target.unit}/${responder}`, target: targetId(target) });
    this.#watch(target.org, target.unit, responder);
  }

  /** The call ended: it is no longer pinned. */
  forget(call: PinnedCall): void {
    this.#pinned.delete(call);
  }

  async close(): Promise<void> {
    const watches = [...this.#watched.values()];
    for (const watch of watches) clearTimeout(watch.grace);
    this.#watched.clear();
    const subscriptions = await Promise.all(watches.map((w) => w.subscribed));
    await Promise.all(subscriptions.map(async (s) => s?.unsubscribe().catch(() => undefined)));
  }

  #watch(org: string, unit: string, agent: string): void {
    const key = `${org}/${unit}/${agent}`;
    if (this.#watched.has(key) || this.#watched.size >= MAX_WATCHED_RESPONDERS) return;
    const watch: Watch = { subscribed: Promise.resolve(undefined) };
    watch.subscribed = this.#transport
      .subscribe(this.#topics.discovery({ org, unit, agent }), (message) => this.#onCard(key, watch, message), { qos: 1 })
      .catch(() => undefined);
    this.#watched.set(key, watch);
  }

  #onCard(key: string, watch: Watch, message: InboundMessage): void {
    // Advisory, yet a will means the responder's connection is gone, with the calls it held.
    const status = message.properties.userProperties?.[EMQX_STATUS_PROPERTY];
    const offline = message.payload.byteLength === 0 || status?.split(",").includes("offline") === true;
    if (!message.retain) {
      clearTimeout(watch.grace);
      watch.grace = undefined;
      if (offline) this.#responderLost(key);
      return;
    }
    // Retained: the card as it stood when the watch began. Offline may be this responder's
    // will (it died after answering) or an earlier run's (it answered before publishing
    // its card): only the first is not followed by a live card.
    if (!offline || watch.grace !== undefined) return;
    watch.grace = setTimeout(() => {
      watch.grace = undefined;
      this.#responderLost(key);
    }, this.#graceMs);
    watch.grace.unref?.();
  }

  /** `address` is `org/unit/agent`: a namesake in another unit is another responder. */
  #responderLost(address: string): void {
    for (const [call, pin] of this.#pinned) {
      if (pin.responder !== address) continue;
      this.#pinned.delete(call);
      call.fail(
        new A2AClientError(
          "AGENT_OFFLINE",
          `Responder ${address} of ${pin.target}, which held this call, went offline before answering it (its card says a2a-status=offline); its task is lost with it. Retry (another member of the pool takes it).`,
        ),
      );
    }
  }
}

/** `org/unit/agent`, or `org/unit/pool/{pool}`. */
export function targetId(target: EmqxTarget): string {
  return target.pool === undefined ? `${target.org}/${target.unit}/${target.agent}` : `${target.org}/${target.unit}/pool/${target.pool}`;
}
