import type { AgentCard } from "@a2a/schema";
import type { Transport } from "@a2a/transport";
import type { A2AAgentOptions } from "../agent-options.js";
import { BearerTokenVerifier } from "./bearer-auth.js";
import type { EmqxAgentOptions } from "./emqx-options.js";
import { withExtendedHooks } from "./extended-hooks.js";
import type { EmqxPoolMember } from "./pool-member.js";
import { createRequestGuard, type RequestGuard } from "./request-guard.js";

/** What an agent's options ask of the profile's Extended levels, made once in its constructor. */
export interface AgentExtended {
  /** Checks bearer tokens (`bearerAuth`); made now, so an untrusted JWKS URI is refused before start(). */
  verifier: BearerTokenVerifier | undefined;
  /** The profile options with the Extended hooks in front of the user's. */
  emqx: EmqxAgentOptions | undefined;
  /** The agent's membership of a profile pool (`emqx.pool`). */
  pool: EmqxPoolMember | undefined;
  /** The bearer guard of this project's own scheme (the profile checks tokens in its `authorize` hook). */
  guard(transport: Transport): RequestGuard | undefined;
}

export function agentExtended(options: { agent: A2AAgentOptions; card: () => AgentCard; onError: (error: unknown) => void }): AgentExtended {
  const { agent, card, onError } = options;
  const verifier = agent.bearerAuth === undefined ? undefined : new BearerTokenVerifier(agent.bearerAuth);
  const extended = agent.emqx && withExtendedHooks({ ids: agent, emqx: agent.emqx, verifier, card, onError });
  return {
    verifier,
    emqx: extended?.emqx,
    pool: extended?.pool,
    guard: (transport) => verifier && createRequestGuard({ verifier, card, transport, onError }),
  };
}
