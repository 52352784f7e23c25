import type { AgentCard } from "@a2a/schema";
import type { Logger, Transport } from "@a2a/transport";
import type { A2AAgentOptions } from "../agent-options.js";
import type { CardOptions } from "../card.js";
import { BearerTokenVerifier } from "./bearer-auth.js";
import { assertTokensOverTls, bearerCardOptions } from "./bearer-card.js";
import { EmqxEndpoint, type EmqxEndpointStart } from "./emqx-endpoint.js";
import { withExtendedHooks } from "./extended-hooks.js";
import type { EmqxPoolMember } from "./pool-member.js";
import { createRequestGuard, type RequestGuard } from "./request-guard.js";

/** What an agent's options ask of the profile's Extended levels, made once in its constructor. */
export interface AgentExtended {
  /** The profile endpoint (`emqx`), its hooks with the Extended ones in front of the user's. */
  endpoint: EmqxEndpoint | undefined;
  /** What the card says of bearer tokens (`bearerAuth`): the scheme and the requirement. */
  cardOptions: Partial<CardOptions>;
  /** The bearer guard of this project's own scheme (the profile checks tokens in its `authorize` hook). */
  guard(transport: Transport): RequestGuard | undefined;
}

/**
 * Bearer tokens, pools and binary artifacts for an agent. Throws now, not at start(),
 * for an untrusted JWKS URI or `bearerAuth` on a broker URL without TLS.
 */
export function agentExtended(options: { agent: A2AAgentOptions; card: () => AgentCard; logger: Logger; onError: (error: unknown) => void }): AgentExtended {
  const { agent, card, onError } = options;
  assertTokensOverTls([agent.broker, agent.emqx?.broker], agent.bearerAuth);
  const verifier = agent.bearerAuth === undefined ? undefined : new BearerTokenVerifier(agent.bearerAuth);
  const extended = agent.emqx && withExtendedHooks({ ids: agent, emqx: agent.emqx, verifier, card, onError });
  // The profile endpoint, with the Extended hooks and the pool's start-up check.
  const endpoint =
    extended &&
    new PoolCheckingEndpoint(extended.pool, {
      ids: agent,
      emqx: extended.emqx,
      agentBroker: agent.broker,
      agentMqtt: agent.mqtt,
      maxPayloadBytes: agent.maxPayloadBytes,
      logger: options.logger,
      onError,
    });
  return {
    endpoint,
    cardOptions: bearerCardOptions(agent),
    guard: (transport) => verifier && createRequestGuard({ verifier, card, transport, onError }),
  };
}

/** The profile endpoint of a pool member: started, it checks the broker delivers the pool topic at all. */
class PoolCheckingEndpoint extends EmqxEndpoint {
  readonly #pool: EmqxPoolMember | undefined;

  constructor(pool: EmqxPoolMember | undefined, options: ConstructorParameters<typeof EmqxEndpoint>[0]) {
    super(options);
    this.#pool = pool;
  }

  override async start(start: EmqxEndpointStart): Promise<void> {
    await super.start(start);
    // A pool under a `$` root on a broker that never delivers it there (mosquitto) must not look healthy.
    if (this.#pool !== undefined && this.transport !== undefined) await this.#pool.checkDelivery(this.transport);
  }
}
