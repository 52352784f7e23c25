import type { Subscription, Transport } from "@a2a/transport";
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
  readonly #watched = new Map<string, Promise<Subscription | undefined>>();

  constructor(options: { transport: Transport; topics: EmqxTopicScheme }) {
    this.#transport = options.transport;
    this.#topics = options.topics;
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
    const subscriptions = await Promise.all([...this.#watched.values()]);
    this.#watched.clear();
    await Promise.all(subscriptions.map(async (s) => s?.unsubscribe().catch(() => undefined)));
  }

  #watch(org: string, unit: string, agent: string): void {
    const key = `${org}/${unit}/${agent}`;
    if (this.#watched.has(key) || this.#watched.size >= MAX_WATCHED_RESPONDERS) return;
    const subscribed = this.#transport
      .subscribe(
        this.#topics.discovery({ org, unit, agent }),
        (message) => {
          // Only what happens from now on: a retained offline card may be an earlier run's
          // will, from before this responder came back and answered.
          if (message.retain) return;
          // Advisory, yet a will seen live means the responder's connection is gone, with the calls it held.
          const status = message.properties.userProperties?.[EMQX_STATUS_PROPERTY];
          if (message.payload.byteLength === 0 || status?.split(",").includes("offline")) this.#responderLost(key);
        },
        { qos: 1 },
      )
      .catch(() => undefined);
    this.#watched.set(key, subscribed);
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
