import { EMQX_AUTHORIZATION_PROPERTY as AUTHORIZATION_USER_PROPERTY } from "../emqx/constants.js";

/**
 * Per-request OAuth 2.0 bearer tokens (EMQX A2A-over-MQTT profile, "OAuth 2.0 and OIDC
 * over MQTT User Properties"): `a2a-authorization: Bearer <token>` on every request to an
 * agent that requires it, over TLS only, never echoed by anyone.
 */

/** Longest `a2a-authorization` value read (a JWT of a few KiB fits many times). */
const MAX_AUTHORIZATION_LENGTH = 16 * 1024;

/** `Bearer <token>`; throws on a token that is empty or not a token68 string (RFC 6750). */
export function bearerAuthorization(token: string): string {
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) throw new TypeError("A bearer token must be a non-empty token68 string (RFC 6750), e.g. a JWT");
  return `Bearer ${token}`;
}

/**
 * The token of an `a2a-authorization` value: `{ token }`, `{ missing: true }` when there
 * is no value, `{ malformed: reason }` when it is not `Bearer <token68>`.
 */
export function readBearerAuthorization(value: string | undefined): { token: string } | { missing: true } | { malformed: string } {
  if (value === undefined || value === "") return { missing: true };
  if (value.length > MAX_AUTHORIZATION_LENGTH) return { malformed: `the ${AUTHORIZATION_USER_PROPERTY} value is longer than ${MAX_AUTHORIZATION_LENGTH} characters` };
  // A repeated property arrives joined with commas: more than one token is refused.
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(value.trim());
  if (match === null) return { malformed: `the ${AUTHORIZATION_USER_PROPERTY} value is not "Bearer <token>"` };
  return { token: match[1]! };
}

/** The value of the user property `name` (lower case; names compared case-insensitively), the first one that matches. */
export function userPropertyOf(userProperties: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
  if (userProperties === undefined) return undefined;
  for (const [key, value] of Object.entries(userProperties)) if (key.toLowerCase() === name) return value;
  return undefined;
}

/** The `a2a-authorization` value of a request's user properties (name compared case-insensitively). */
export function authorizationOf(userProperties: Readonly<Record<string, string>> | undefined): string | undefined {
  return userPropertyOf(userProperties, AUTHORIZATION_USER_PROPERTY);
}

/** Removes `a2a-authorization` (any case) from a request's service parameters: the token is never for handlers, logs or replies. */
export function stripAuthorization(params: Record<string, string>): void {
  for (const key of Object.keys(params)) if (key.toLowerCase() === AUTHORIZATION_USER_PROPERTY) delete params[key];
}

/** True for broker URLs whose connection is TLS (`mqtts:`, `wss:`, `ssl:`, `tls:`). */
export function isTlsBrokerUrl(url: string): boolean {
  return /^(mqtts|wss|ssl|tls):\/\//i.test(url.trim());
}

/**
 * Why tokens must not be sent (or accepted) on the connection to `brokerUrl`, or
 * undefined when they may: the profile requires TLS for every message carrying a token.
 * `allowInsecure` is for tests on a local broker without TLS; a transport given as an
 * object (not a URL) cannot be checked and is the caller's responsibility.
 */
export function insecureTokenRefusal(brokerUrl: string | undefined, allowInsecure: boolean | undefined): string | undefined {
  if (brokerUrl === undefined || allowInsecure === true || isTlsBrokerUrl(brokerUrl)) return undefined;
  return `Bearer tokens travel only over TLS (the profile requires it), and the broker URL ${redactUrl(brokerUrl)} is not TLS: use mqtts:// or wss://, or set allowInsecureTokens: true for a local test broker`;
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
