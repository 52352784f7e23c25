export * from "./transport.js";
export { TransportError, type TransportErrorCode } from "./errors.js";
export {
  createTopicScheme,
  type ParsedTopic,
  type TopicScheme,
  type TopicSchemeOptions,
} from "./topics/topic-scheme.js";
export {
  InvalidTopicSegmentError,
  MAX_TOPIC_SEGMENT_LENGTH,
  isValidTopicSegment,
  validateTopicSegment,
} from "./topics/topic-segment.js";
export { effectiveFilter, matchTopic, parseSharedFilter, type SharedFilter } from "./topics/match-topic.js";
export {
  BrokerConnection,
  InMemoryBroker,
  type BrokerConnectRequest,
  type BrokerDelivery,
  type BrokerPublish,
  type InMemoryBrokerOptions,
} from "./memory/in-memory-broker.js";
export { InMemoryTransport, type InMemoryTransportOptions } from "./memory/in-memory-transport.js";
export { consoleLogger, errorText, silentLogger, type LogFields, type LogLevel, type Logger } from "./logger.js";
