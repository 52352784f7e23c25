// The packages under test, from their TypeScript sources. The repository root is not a
// workspace package, so the cross-package suites reach the packages by path; inside the
// packages "@a2a/*" resolves to the sources through the "@a2a/source" condition.
export * from "../../packages/agent/src/index.js";
export * from "../../packages/client/src/index.js";
export {
  createTopicScheme,
  type InboundMessage,
  type Transport,
} from "../../packages/transport/src/index.js";
export { MqttTransport, type MqttTransportOptions } from "../../packages/transport/src/mqtt/index.js";
export { decodeReply, encodeRequest, type DecodedReply } from "../../packages/transport/src/binding/index.js";
export {
  freePort,
  requireMosquitto,
  startAedes,
  startMosquitto,
  waitFor,
  type AedesHandle,
  type MosquittoHandle,
} from "../../packages/testing/src/index.js";
