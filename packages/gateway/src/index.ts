/**
 * @a2a/gateway: A2A over HTTP (JSON-RPC, HTTP+JSON, SSE) in front of the agents on an
 * MQTT broker, and HTTP A2A agents announced on the broker.
 */
export { createGateway, type CorsSettings, type Gateway, type GatewayOptions } from "./gateway.js";
export { gatewayCard, JSONRPC_BINDING, REST_BINDING } from "./gateway-card.js";
export { AUTHORIZATION_PARAM } from "./http/service-params.js";
export { exposeHttpAgent, type ExposeHttpAgentOptions, type ExposedAgent } from "./expose/expose-http-agent.js";
export { forwardingOperations, type Forwarder } from "./expose/forwarder.js";
export { httpForwarder, type HttpForwarderOptions } from "./expose/http-forwarder.js";
export { runGateway, type RunGatewayOptions } from "./run-gateway.js";
