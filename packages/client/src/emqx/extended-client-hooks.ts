import { EMQX_ARTIFACT_MODE_PROPERTY } from "@a2a/transport/binding";
import type { InboundMessage, MessageProperties } from "@a2a/transport";
import { binaryChunkEvent } from "./artifact-assembler.js";
import type { BearerTokens } from "./bearer-tokens.js";
import type { EmqxClientHooks, EmqxOutboundCall } from "./emqx-client-options.js";

/**
 * The requester side of the profile's Extended levels as hooks: the call's bearer token
 * (`a2a-authorization`, TLS only), the artifact mode it asks for (`a2a-artifact-mode`),
 * and native binary chunks read as the artifact updates they stand for.
 */
export function extendedClientHooks(options: { tokens: BearerTokens }): EmqxClientHooks {
  const { tokens } = options;
  return {
    requestProperties(call: EmqxOutboundCall) {
      const properties: Record<string, string> = {};
      tokens.apply(call.target, call.options?.bearerToken, properties);
      const mode = call.options?.artifactMode;
      if (mode !== undefined) properties[EMQX_ARTIFACT_MODE_PROPERTY] = mode;
      return Object.keys(properties).length === 0 ? undefined : properties;
    },
    decodeNonJsonReply: (message: InboundMessage) => binaryChunkEvent(message),
  };
}

/**
 * Several requester hook sets as one: request properties joined (later sets win on a
 * name), the first set that decodes a non-JSON reply wins, every observer sees replies.
 */
export function composeClientHooks(...sets: readonly (EmqxClientHooks | undefined)[]): EmqxClientHooks {
  const all = sets.filter((s): s is EmqxClientHooks => s !== undefined);
  if (all.length <= 1) return all[0] ?? {};
  return {
    async requestProperties(call) {
      const parts = await Promise.all(all.map(async (s) => s.requestProperties?.(call)));
      const merged = Object.assign({}, ...parts) as Record<string, string>;
      return Object.keys(merged).length === 0 ? undefined : merged;
    },
    decodeNonJsonReply(message) {
      for (const set of all) {
        const item = set.decodeNonJsonReply?.(message);
        if (item !== undefined) return item;
      }
      return undefined;
    },
    observeReply(call, properties: MessageProperties) {
      for (const set of all) set.observeReply?.(call, properties);
    },
  };
}
