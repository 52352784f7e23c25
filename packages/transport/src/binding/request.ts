import type { InboundMessage, PublishOptions } from "../transport.js";
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_REQUEST_VERSION,
  HEADER_EXTENSIONS,
  HEADER_VERSION,
  JSON_CONTENT_TYPE,
  MAX_JSON_RPC_ID_LENGTH,
  REPLY_TO_MEMBER,
  SERVICE_PARAMS_MEMBER,
  TRACEPARENT_PARAM,
  TRACESTATE_PARAM,
} from "./constants.js";
import { A2AErrorCode } from "@a2a/schema";
import { isJsonRpcId, type JsonRpcErrorObject, type JsonRpcId, type JsonRpcRequest } from "./json-rpc.js";
import { isJsonObject, isValidReplyTopic, parseJsonPayload } from "./payload.js";

/** Service parameters (`A2A-Version`, `A2A-Extensions`, ...), canonical names as keys. */
export type ServiceParams = Record<string, string>;

export interface EncodeRequestOptions {
  /** The JSON-RPC request (or compact Task Request) object. */
  request: object;
  /** Where the agent should reply; omit for a notification. */
  replyTopic?: string;
  /** MQTT 5 correlation data the agent echoes on every reply. */
  correlationData?: Uint8Array;
  /** e.g. `{ "A2A-Version": "1.0" }`. */
  serviceParams?: ServiceParams;
  /**
   * True on an MQTT 5 connection (`transport.capabilities.messageProperties`): the
   * reply topic and service parameters travel as properties. False (3.1.1): they travel
   * as the `replyTo` and `serviceParams` members of the payload.
   */
  messageProperties: boolean;
  /** MQTT 5 message expiry, seconds. */
  messageExpiryInterval?: number;
}

export interface EncodedPublish {
  payload: string;
  options: PublishOptions;
}

/** Builds the payload and publish options of an outgoing request (section 4 of the binding). */
export function encodeRequest(options: EncodeRequestOptions): EncodedPublish {
  const params = options.serviceParams ?? {};
  if (options.messageProperties) {
    const properties: NonNullable<PublishOptions["properties"]> = { contentType: JSON_CONTENT_TYPE };
    if (options.replyTopic !== undefined) properties.responseTopic = options.replyTopic;
    if (options.correlationData !== undefined) properties.correlationData = options.correlationData;
    if (hasKeys(params)) properties.userProperties = { ...params };
    if (options.messageExpiryInterval !== undefined) properties.messageExpiryInterval = options.messageExpiryInterval;
    return { payload: JSON.stringify(options.request), options: { qos: 1, properties } };
  }
  const body: Record<string, unknown> = { ...options.request };
  if (options.replyTopic !== undefined) body[REPLY_TO_MEMBER] = options.replyTopic;
  if (hasKeys(params)) body[SERVICE_PARAMS_MEMBER] = { ...params };
  return { payload: JSON.stringify(body), options: { qos: 1 } };
}

function hasKeys(params: ServiceParams): boolean {
  for (const key in params) if (Object.hasOwn(params, key)) return true;
  return false;
}

/** Where and how to answer a request. */
export interface ReplyRoute {
  /** Undefined when nobody can be answered (a notification, or no usable reply topic). */
  replyTopic?: string;
  /** MQTT 5 correlation data to echo on every reply. */
  correlationData?: Uint8Array;
}

interface DecodedCommon extends ReplyRoute {
  serviceParams: ServiceParams;
}

/** A well-formed JSON-RPC request (its params are still unchecked). */
export interface DecodedJsonRpcRequest extends DecodedCommon {
  kind: "jsonrpc";
  request: JsonRpcRequest;
  /** The payload the request was read from (for `payloadDigest`). */
  payload?: Uint8Array | string;
}

/** A compact (seed) Task Request: a JSON object with `operation` and no `jsonrpc`. Unchecked. */
export interface DecodedCompactRequest extends DecodedCommon {
  kind: "compact";
  request: Record<string, unknown>;
}

/** A payload that cannot be served: answer `error` with `id` if `replyTopic` is known. */
export interface DecodedInvalidRequest extends DecodedCommon {
  kind: "invalid";
  id: JsonRpcId;
  error: JsonRpcErrorObject;
}

export type DecodedRequest = DecodedJsonRpcRequest | DecodedCompactRequest | DecodedInvalidRequest;

export interface DecodeRequestOptions {
  /** @default 1048576 (1 MiB) */
  maxPayloadBytes?: number;
}

/**
 * Reads an incoming request. Never throws: bad input comes back as `kind: "invalid"`
 * with the JSON-RPC error to answer (-32700 not JSON, -32600 not a request object or a
 * bad envelope, -32600 payload too large).
 */
export function decodeRequest(message: InboundMessage, options: DecodeRequestOptions = {}): DecodedRequest {
  const maxBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const props = message.properties;
  const route: ReplyRoute = {};
  const propertyTopic = props.responseTopic;
  if (isValidReplyTopic(propertyTopic)) route.replyTopic = propertyTopic;
  if (props.correlationData !== undefined) route.correlationData = props.correlationData;
  const serviceParams = readServiceParams(props.userProperties);

  const invalid = (id: JsonRpcId, code: number, text: string): DecodedInvalidRequest => ({
    kind: "invalid",
    id,
    error: { code, message: text },
    ...route,
    serviceParams,
  });

  const parsed = parseJsonPayload(message.payload, maxBytes);
  if (!parsed.ok) {
    return invalid(null, parsed.reason === "too-large" ? A2AErrorCode.InvalidRequest : A2AErrorCode.ParseError, parsed.message);
  }
  const value = parsed.value;
  if (!isJsonObject(value)) return invalid(null, A2AErrorCode.InvalidRequest, "Request must be a JSON object");

  // The payload members apply only when the MQTT 5 properties are absent.
  if (propertyTopic === undefined && REPLY_TO_MEMBER in value) {
    const replyTo = value[REPLY_TO_MEMBER];
    if (isValidReplyTopic(replyTo)) route.replyTopic = replyTo;
  }
  if (props.userProperties === undefined && isJsonObject(value[SERVICE_PARAMS_MEMBER])) {
    Object.assign(serviceParams, readServiceParams(value[SERVICE_PARAMS_MEMBER]));
  }

  if (!("jsonrpc" in value) && typeof value.operation === "string") {
    return { kind: "compact", request: value, ...route, serviceParams };
  }

  const rawId = value.id;
  if (typeof rawId === "string" && rawId.length > MAX_JSON_RPC_ID_LENGTH) {
    return invalid(null, A2AErrorCode.InvalidRequest, `Request "id" must be at most ${MAX_JSON_RPC_ID_LENGTH} characters`);
  }
  const id: JsonRpcId = isJsonRpcId(rawId) ? rawId : null;
  if (value.jsonrpc !== "2.0") return invalid(id, A2AErrorCode.InvalidRequest, 'Request "jsonrpc" must be "2.0"');
  const notification = !("id" in value);
  if (!notification && !isJsonRpcId(rawId)) {
    return invalid(null, A2AErrorCode.InvalidRequest, 'Request "id" must be a string, number or null');
  }
  if (typeof value.method !== "string" || value.method.length === 0) {
    return invalid(id, A2AErrorCode.InvalidRequest, 'Request "method" must be a non-empty string');
  }
  const request: JsonRpcRequest = { jsonrpc: "2.0", method: value.method };
  if (!notification) request.id = id;
  if ("params" in value) request.params = value.params;
  // JSON-RPC 2.0: a request without an id is a notification and is never answered.
  if (notification) delete route.replyTopic;
  return { kind: "jsonrpc", request, ...route, serviceParams, payload: message.payload };
}

const CANONICAL = [HEADER_VERSION, HEADER_EXTENSIONS, TRACEPARENT_PARAM, TRACESTATE_PARAM];
const CANONICAL_NAMES = new Map(CANONICAL.map((name) => [name.toLowerCase(), name]));
/** The canonical names as spelled, so that the usual spelling needs no lower-casing. */
const AS_SPELLED: ReadonlySet<string> = new Set(CANONICAL);

/**
 * Reads string service parameters, names matched case-insensitively like HTTP headers;
 * a parameter given several times (a repeated MQTT 5 user property, an array, or names
 * differing in case) has all its values, joined with commas.
 */
function readServiceParams(source: unknown): ServiceParams {
  const out: ServiceParams = {};
  if (!isJsonObject(source)) return out;
  let spellings: Map<string, string> | undefined;
  for (const name in source) {
    if (!Object.hasOwn(source, name)) continue;
    const value = source[name];
    const text = Array.isArray(value) ? value.filter((v) => typeof v === "string").join(",") : value;
    if (typeof text !== "string") continue;
    // Names differing only in case are one parameter; all their values count, as a list.
    let canonical = AS_SPELLED.has(name) ? name : undefined;
    if (canonical === undefined) {
      const lower = name.toLowerCase();
      canonical = CANONICAL_NAMES.get(lower) ?? spellings?.get(lower);
      if (canonical === undefined) (spellings ??= new Map()).set(lower, (canonical = name));
    }
    const earlier = out[canonical];
    out[canonical] = earlier === undefined ? text : `${earlier},${text}`;
  }
  return out;
}

/** The protocol version a request asked for (`"0.3"` when it named none). */
export function requestedVersion(params: ServiceParams): string {
  const raw = params[HEADER_VERSION];
  if (raw === undefined) return DEFAULT_REQUEST_VERSION;
  if (!raw.includes(",")) return raw;
  // Given several times: one version if they all agree, else the list (not a version).
  const versions = new Set(raw.split(",").map((v) => v.trim()));
  return versions.size === 1 ? [...versions][0]! : raw;
}

/** The extension URIs a request asked for. */
export function requestedExtensions(params: ServiceParams): string[] {
  const raw = params[HEADER_EXTENSIONS];
  if (raw === undefined) return [];
  return raw.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}
