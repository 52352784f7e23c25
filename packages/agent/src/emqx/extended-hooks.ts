import type { AgentCard } from "@a2a/schema";
import { authorizationOf, createEmqxTopicScheme, emqxAddressOf, type EmqxAddress, type EmqxTopicScheme } from "@a2a/transport/binding";
import { BinaryArtifactEncoder } from "./artifact-chunks.js";
import type { BearerTokenVerifier } from "./bearer-auth.js";
import type { EmqxAgentHooks, EmqxAgentOptions, EmqxInboundRequest, EmqxReplyPublication } from "./emqx-options.js";
import type { EmqxExtendedOptions } from "./extended-options.js";
import { EmqxPoolMember } from "./pool-member.js";
import { messageSkill } from "./request-guard.js";


export interface ExtendedHooksOptions extends EmqxExtendedOptions {
  address: EmqxAddress;
  topics: EmqxTopicScheme;
  card: () => AgentCard;
  verifier: BearerTokenVerifier | undefined;
  onError: (error: unknown) => void;
}

/** The hooks of the Extended levels, and the pool member when the agent joins one. */
export function extendedEmqxHooks(options: ExtendedHooksOptions): { hooks: EmqxAgentHooks; pool: EmqxPoolMember | undefined } {
  const { verifier, card, onError } = options;
  const pool = options.pool === undefined ? undefined : new EmqxPoolMember({ ...options.pool, address: options.address, topics: options.topics });
  const binary = options.binaryArtifacts === false ? undefined : new BinaryArtifactEncoder(options.binaryArtifacts === true ? {} : options.binaryArtifacts);
  const hooks: EmqxAgentHooks = {};
  if (verifier !== undefined) {
    hooks.authorize = async (request, call) => {
      const current = card();
      const check = await verifier.check(authorizationOf(request.userProperties), current, messageSkill(call.method, call.params, current));
      if (check.ok) return { ok: true, principal: check.principal };
      if (check.internal !== undefined) onError(check.internal);
      return { ok: false, error: check.error };
    };
  }
  if (pool !== undefined) hooks.subscriptions = () => [pool.sharedFilter];
  if (pool !== undefined || binary !== undefined) {
    hooks.replyProperties = (request) => {
      const merged = { ...pool?.replyProperties(), ...binary?.replyProperties(request) };
      return Object.keys(merged).length === 0 ? undefined : merged;
    };
  }
  if (binary !== undefined) hooks.transformReply = (request, reply) => binary.transform(request, reply);
  return { hooks, pool };
}

/**
 * Several hook sets as one: `authorize` refuses when any refuses (the first principal
 * given wins), subscriptions and properties are joined (later sets win on a name),
 * `transformReply` runs each set's in turn over the publications of the one before.
 */
export function composeEmqxHooks(...sets: readonly (EmqxAgentHooks | undefined)[]): EmqxAgentHooks {
  const all = sets.filter((s): s is EmqxAgentHooks => s !== undefined);
  if (all.length <= 1) return all[0] ?? {};
  const out: EmqxAgentHooks = {};
  const authorizers = all.flatMap((s) => (s.authorize === undefined ? [] : [s.authorize.bind(s)]));
  if (authorizers.length > 0) {
    out.authorize = async (request, call) => {
      let principal: Extract<Awaited<ReturnType<NonNullable<EmqxAgentHooks["authorize"]>>>, { ok: true }>["principal"];
      for (const authorize of authorizers) {
        const verdict = await authorize(request, call);
        if (!verdict.ok) return verdict;
        principal ??= verdict.principal;
      }
      return principal === undefined ? { ok: true } : { ok: true, principal };
    };
  }
  if (all.some((s) => s.subscriptions !== undefined)) out.subscriptions = () => all.flatMap((s) => s.subscriptions?.() ?? []);
  const merge = (pick: (s: EmqxAgentHooks) => Record<string, string> | undefined) => {
    const merged = Object.assign({}, ...all.map(pick)) as Record<string, string>;
    return Object.keys(merged).length === 0 ? undefined : merged;
  };
  if (all.some((s) => s.replyProperties !== undefined)) out.replyProperties = (request) => merge((s) => s.replyProperties?.(request));
  if (all.some((s) => s.cardProperties !== undefined)) out.cardProperties = (status) => merge((s) => s.cardProperties?.(status));
  const transforms = all.flatMap((s) => (s.transformReply === undefined ? [] : [s.transformReply.bind(s)]));
  if (transforms.length > 0) {
    out.transformReply = async (request: EmqxInboundRequest, reply: EmqxReplyPublication) => {
      let publications = [reply];
      for (const transform of transforms) publications = (await Promise.all(publications.map(async (p) => transform(request, p)))).flat();
      return publications;
    };
  }
  return out;
}

/**
 * The profile options with the Extended levels' hooks in front of the user's own
 * (`emqx.hooks`): bearer tokens (the agent's `bearerAuth`), the pool, binary artifacts.
 */
export function withExtendedHooks(options: {
  ids: { orgId: string; agentId: string };
  emqx: EmqxAgentOptions;
  verifier: BearerTokenVerifier | undefined;
  card: () => AgentCard;
  onError: (error: unknown) => void;
}): { emqx: EmqxAgentOptions; pool: EmqxPoolMember | undefined } {
  const { emqx } = options;
  const address = emqxAddressOf(options.ids, emqx);
  const topics = createEmqxTopicScheme(emqx.root === undefined ? {} : { root: emqx.root });
  const extended = extendedEmqxHooks({ ...emqx, address, topics, card: options.card, verifier: options.verifier, onError: options.onError });
  return { emqx: { ...emqx, hooks: composeEmqxHooks(extended.hooks, emqx.hooks) }, pool: extended.pool };
}
