/**
 * @a2a/gateway/sdk: adapters for the official JavaScript SDK, @a2a-js/sdk 1.3 (a peer
 * dependency): a client transport for its `ClientFactory` keyed by the MQTT binding URI,
 * and hosting of SDK agents (request handler or executor) on the broker.
 */
export { MqttSdkTransport, MqttTransportFactory } from "./mqtt-client-transport.js";
export { serveSdkAgent, type ServeSdkAgentOptions, type ServedSdkAgent } from "./serve-sdk-agent.js";
