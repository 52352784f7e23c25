import { decodeInstancePresence } from "@a2a/transport/binding";
import type { InboundMessage } from "@a2a/transport";

/** Instances remembered per pool, and pools remembered; beyond, new ones are ignored. */
const MAX_INSTANCES = 1024;
const MAX_POOLS = 10_000;

/**
 * The presence of agent pools' instances (`discovery/{org}/{agent}/instances/{id}`,
 * docs/binding.md §11). A pool's card stays online when its last instance dies (no
 * instance is left to say otherwise); the instances' presence tells: a pool whose every
 * known instance is offline is offline.
 */
export class PoolPresence {
  readonly #prefix: string;
  readonly #pools = new Map<string, Map<string, "online" | "offline">>();

  constructor(prefix: string) {
    this.#prefix = `${prefix}discovery/`;
  }

  /**
   * Takes one instance presence message; returns the agent id whose pool it belongs to
   * when the message was one, else undefined.
   */
  update(message: InboundMessage): string | undefined {
    if (!message.topic.startsWith(this.#prefix)) return undefined;
    const [org, agent, level, instanceId, ...rest] = message.topic.slice(this.#prefix.length).split("/");
    if (level !== "instances" || instanceId === undefined || rest.length > 0 || !org || !agent) return undefined;
    const agentId = `${org}/${agent}`;
    const presence = decodeInstancePresence(message.payload);
    let instances = this.#pools.get(agentId);
    if (presence === undefined || presence.instanceId !== instanceId) {
      // Cleared (or not valid): that instance is no longer known.
      instances?.delete(instanceId);
      return agentId;
    }
    if (!instances) {
      if (this.#pools.size >= MAX_POOLS) return undefined;
      this.#pools.set(agentId, (instances = new Map<string, "online" | "offline">()));
    }
    if (instances.has(instanceId) || instances.size < MAX_INSTANCES) instances.set(instanceId, presence.status);
    return agentId;
  }

  /** The status of `agentId` given its card's: offline when every known instance of its pool is. */
  effective(agentId: string, cardStatus: "online" | "offline"): "online" | "offline" {
    if (cardStatus === "offline") return "offline";
    const instances = this.#pools.get(agentId);
    if (!instances || instances.size === 0) return cardStatus;
    for (const status of instances.values()) if (status === "online") return "online";
    return "offline";
  }
}
