import { timingSafeEqual } from "node:crypto";
import { HEADER_EXTENSIONS, HEADER_VERSION, type ServiceParams } from "@a2a/transport/binding";

/** The service parameter carrying the caller's bearer token to the agent (EMQX's A2A profile). */
export const AUTHORIZATION_PARAM = "a2a-authorization";

/** Longest header value carried on, in bytes; longer values are refused, not truncated. */
const MAX_HEADER_BYTES = 8192;

/**
 * The service parameters of an HTTP request: `A2A-Version` and `A2A-Extensions` (0.3's
 * `X-A2A-Extensions` too) as they came, and `Authorization` as `a2a-authorization`.
 * Without an `A2A-Version` header none is sent, so the agent treats the request as 0.3,
 * as the specification says.
 */
export function serviceParamsOf(header: (name: string) => string | undefined): ServiceParams | string {
  const params: ServiceParams = {};
  const version = header(HEADER_VERSION);
  if (version !== undefined) params[HEADER_VERSION] = version.trim();
  const extensions = [header(HEADER_EXTENSIONS), header(`X-${HEADER_EXTENSIONS}`)].filter((v): v is string => v !== undefined);
  if (extensions.length > 0) params[HEADER_EXTENSIONS] = extensions.join(",");
  const authorization = header("authorization");
  if (authorization !== undefined) params[AUTHORIZATION_PARAM] = authorization;
  for (const [name, value] of Object.entries(params)) {
    if (Buffer.byteLength(value) > MAX_HEADER_BYTES) return `The ${name} header is longer than ${MAX_HEADER_BYTES} bytes.`;
  }
  return params;
}

/** True when `presented` is one of `keys` (compared in constant time). */
export function apiKeyAccepted(keys: readonly string[], presented: string | null | undefined): boolean {
  if (presented === null || presented === undefined) return false;
  const given = Buffer.from(presented);
  let ok = false;
  for (const key of keys) {
    const expected = Buffer.from(key);
    if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}
