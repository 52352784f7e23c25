// The packages under test, from their TypeScript sources. The repository root is not a
// workspace package, so "@a2a/*" does not resolve here; the suites reach the packages by
// path (inside the packages "@a2a/*" resolves to the sources through "@a2a/source").
export * from "../../packages/agent/src/index.js";
export * from "../../packages/client/src/index.js";
export { createBroker, createUser, toMosquittoConfig, type Broker, type BrokerLogEntry, type BrokerUser } from "../../packages/broker/src/index.js";
export { TransportError, type InboundMessage, type Transport } from "../../packages/transport/src/index.js";
export { MqttTransport, type MqttTransportOptions } from "../../packages/transport/src/mqtt/index.js";
export {
  createTestPki,
  freePort,
  mosquittoTestConfig,
  requireMosquitto,
  spawnMosquitto,
  requireOpenssl,
  waitFor,
  type MosquittoProcess,
  type TestPki,
} from "../../packages/testing/src/index.js";
