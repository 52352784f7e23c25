import type { AgentCard } from "@a2a/schema";

/** The HTTP bindings' names in `supportedInterfaces[].protocolBinding`. */
export const JSONRPC_BINDING = "JSONRPC";
export const REST_BINDING = "HTTP+JSON";

interface Interface {
  url: string;
  protocolBinding: string;
  protocolVersion: string;
  [key: string]: unknown;
}

/**
 * The card an HTTP client reads from the gateway: the gateway's JSON-RPC and HTTP+JSON
 * URLs first (one pair per protocol version the agent declares), the agent's own
 * interfaces (MQTT) kept after them. The top-level 0.3 members (`url`,
 * `preferredTransport`, `additionalInterfaces`) name the gateway, so 0.3 clients call
 * it over HTTP as well.
 */
export function gatewayCard(card: AgentCard, baseUrl: string): AgentCard {
  const own = (Array.isArray(card.supportedInterfaces) ? card.supportedInterfaces : []) as Interface[];
  const versions = [...new Set(own.map((i) => i.protocolVersion).filter((v) => typeof v === "string"))];
  if (versions.length === 0) versions.push("1.0");
  const http: Interface[] = [];
  for (const protocolBinding of [JSONRPC_BINDING, REST_BINDING]) {
    for (const protocolVersion of versions) http.push({ url: baseUrl, protocolBinding, protocolVersion });
  }
  const out: Record<string, unknown> = { ...card, supportedInterfaces: [...http, ...own] };
  out.url = baseUrl;
  out.preferredTransport = JSONRPC_BINDING;
  out.additionalInterfaces = [
    { url: baseUrl, transport: JSONRPC_BINDING },
    { url: baseUrl, transport: REST_BINDING },
  ];
  return out as unknown as AgentCard;
}
