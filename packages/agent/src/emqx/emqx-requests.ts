import type { ReplyRoute } from "@a2a/transport/binding";
import type { Principal } from "../principal.js";
import type { EmqxInboundRequest } from "./emqx-options.js";

/** What the profile knows of a request while it is served. */
export interface EmqxRequestState {
  request: EmqxInboundRequest;
  /** Set by the `authorize` hook (a verified token's subject); else the reply route's owner. */
  principal?: Principal | undefined;
  /** From the Message Expiry Interval: after this instant the request is stale (ms since the epoch). */
  expiresAt?: number | undefined;
}

const hex = (bytes: Uint8Array | undefined) => (bytes === undefined ? "" : Buffer.from(bytes).toString("hex"));

/**
 * The profile requests being served, by reply route (reply topic and correlation data):
 * the handlers, the principal lookup and the reply publisher see the request a reply
 * belongs to. An entry lives while its request is served; two requests on one route at
 * once (a requester reusing correlation data) share it.
 */
export class EmqxRequests {
  readonly #entries = new Map<string, { state: EmqxRequestState; refs: number }>();

  static key(topic: string | undefined, correlationData: Uint8Array | undefined): string {
    return `${topic ?? ""}\u0000${hex(correlationData)}`;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Registers `state` under its route; call the returned function once it is served. */
  hold(route: ReplyRoute, state: EmqxRequestState): () => void {
    const key = EmqxRequests.key(route.replyTopic, route.correlationData);
    const entry = this.#entries.get(key);
    if (entry !== undefined) entry.refs++;
    else this.#entries.set(key, { state, refs: 1 });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const current = this.#entries.get(key);
      if (current !== undefined && --current.refs === 0) this.#entries.delete(key);
    };
  }

  get(route: ReplyRoute): EmqxRequestState | undefined {
    return this.#entries.get(EmqxRequests.key(route.replyTopic, route.correlationData))?.state;
  }

  byTopic(topic: string, correlationData: Uint8Array | undefined): EmqxRequestState | undefined {
    return this.#entries.get(EmqxRequests.key(topic, correlationData))?.state;
  }
}
