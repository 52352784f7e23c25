/** The `protocolBinding` URI that declares this binding in an Agent Card. */
export const BINDING_URI = "urn:a2a-mqtt:binding:mqtt:v1";

/** The A2A extension that carries an agent's presence inside its card. */
export const PRESENCE_EXTENSION_URI = "urn:a2a-mqtt:ext:presence:v1";

/** The A2A protocol version this binding speaks. */
export const PROTOCOL_VERSION = "1.0";

/** The earlier A2A version an agent also serves, in its own wire form. */
export const LEGACY_PROTOCOL_VERSION = "0.3";

/** The version a request means when it names none (the A2A specification's rule). */
export const DEFAULT_REQUEST_VERSION = "0.3";

/** Service parameter (MQTT 5 user property / `serviceParams` key) naming the protocol version. */
export const HEADER_VERSION = "A2A-Version";
/** Service parameter listing the extensions the client asks for (comma separated). */
export const HEADER_EXTENSIONS = "A2A-Extensions";

/** Service parameter carrying the caller's W3C trace context (`00-{trace}-{span}-{flags}`). */
export const TRACEPARENT_PARAM = "traceparent";
/** Service parameter carrying W3C vendor trace state, beside {@link TRACEPARENT_PARAM}. */
export const TRACESTATE_PARAM = "tracestate";

/** MQTT 5 user property carrying the presence status on the card message. */
export const STATUS_USER_PROPERTY = "a2a-status";

/** Request member naming the reply topic on MQTT 3.1.1 (or on 5 without properties). */
export const REPLY_TO_MEMBER = "replyTo";
/** Request member carrying the service parameters on MQTT 3.1.1. */
export const SERVICE_PARAMS_MEMBER = "serviceParams";
/** Stream frame member: 0, 1, 2, ... within one stream. */
export const SEQ_MEMBER = "seq";
/** Stream frame member: `true` on the last frame of a stream. */
export const FINAL_MEMBER = "final";

/** Largest request or reply payload accepted by default: 1 MiB. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/** Longest JSON-RPC string id served; a longer one is answered -32600 with `id: null`, not echoed. */
export const MAX_JSON_RPC_ID_LENGTH = 256;

/** Longest reply topic accepted, in UTF-8 bytes (well below MQTT's 65,535). */
export const MAX_REPLY_TOPIC_BYTES = 1024;

/** Content type set on every payload on MQTT 5. */
export const JSON_CONTENT_TYPE = "application/json";

/**
 * Stream frame member: the number of the task event the frame carries (1, 2, 3, ... per
 * task, across streams), or for a Task frame the last event it includes (section 5.1).
 */
export const EVENT_SEQ_MEMBER = "eventSeq";
/** Stream frame member: `true` on a resumed stream's Task frame when events were missed for good. */
export const GAP_MEMBER = "gap";
/** The binding extension that resumes a stream after a given task event (section 5.1). */
export const RESUME_EXTENSION_URI = "urn:a2a-mqtt:ext:resume:v1";
/**
 * The binding extension that lets an agent publish several frames of one stream as one
 * message, a JSON array of frames (section 5.2). Activated by the client in `A2A-Extensions`.
 */
export const FRAME_BATCH_EXTENSION_URI = "urn:a2a-mqtt:ext:frame-batch:v1";
