import { isJsonObject } from "../payload.js";

/**
 * Trusted JWKS URI policy (EMQX A2A-over-MQTT profile, Extended: "trusted JKU policy").
 * A card may name the key set its tokens or payloads are checked against (`jwksUri` in an
 * extension's params); nobody fetches keys from a URI the policy does not trust, so a
 * forged card cannot point verifiers at an attacker's keys.
 */

/** The card extension this implementation publishes its key set under (`params.jwksUri`). */
export const JWKS_EXTENSION_URI = "urn:a2a-mqtt:ext:jwks:v1";

export interface JwksUriPolicyOptions {
  /**
   * Trusted URIs: an entry ending in `/` trusts every URI under it (a prefix, compared
   * after URL normalisation), any other entry exactly that URI. Empty trusts nothing.
   */
  trusted: readonly string[];
  /**
   * Trust `http:` URIs on loopback hosts (tests, a local identity provider). Other
   * `http:` URIs are never trusted: key sets fetched without TLS can be swapped in transit.
   * @default false
   */
  allowLoopbackHttp?: boolean;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Decides whether a JWKS URI may be fetched. */
export class JwksUriPolicy {
  readonly #exact = new Set<string>();
  readonly #prefixes: string[] = [];
  readonly #allowLoopbackHttp: boolean;

  constructor(options: JwksUriPolicyOptions) {
    this.#allowLoopbackHttp = options.allowLoopbackHttp ?? false;
    for (const entry of options.trusted) {
      const url = parseUri(entry);
      if (url === undefined) throw new TypeError(`Trusted JWKS URI ${JSON.stringify(entry)} is not an absolute http(s) URL`);
      if (entry.endsWith("/")) this.#prefixes.push(url.href.endsWith("/") ? url.href : `${url.href}/`);
      else this.#exact.add(url.href);
    }
  }

  /** Why `uri` is not trusted, or undefined when it is. */
  refusal(uri: string): string | undefined {
    const url = parseUri(uri);
    if (url === undefined) return `JWKS URI ${JSON.stringify(uri.slice(0, 200))} is not an absolute http(s) URL`;
    if (url.username !== "" || url.password !== "") return "a JWKS URI must not carry credentials";
    if (url.protocol === "http:" && !(this.#allowLoopbackHttp && LOOPBACK_HOSTS.has(url.hostname))) {
      return `JWKS URI ${url.href} is not https: key sets must be fetched over TLS`;
    }
    if (this.#exact.has(url.href)) return undefined;
    if (this.#prefixes.some((prefix) => url.href.startsWith(prefix))) return undefined;
    return `JWKS URI ${url.href} is not in the trusted list; add it (or its prefix) to the trusted JWKS URIs to use it`;
  }

  trusts(uri: string): boolean {
    return this.refusal(uri) === undefined;
  }

  /** Throws {@link UntrustedJwksUriError} unless `uri` is trusted. */
  check(uri: string): URL {
    const refusal = this.refusal(uri);
    if (refusal !== undefined) throw new UntrustedJwksUriError(refusal);
    return new URL(uri);
  }
}

/** A JWKS URI the policy does not trust. */
export class UntrustedJwksUriError extends Error {
  override readonly name = "UntrustedJwksUriError";
}

function parseUri(uri: string): URL | undefined {
  if (uri.length > 2048) return undefined;
  try {
    const url = new URL(uri);
    if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
    url.hash = "";
    return url;
  } catch {
    return undefined;
  }
}

/** Every `jwksUri` a card declares in its extensions' params (strings only). */
export function cardJwksUris(card: unknown): string[] {
  if (!isJsonObject(card) || !isJsonObject(card.capabilities)) return [];
  const extensions = card.capabilities.extensions;
  if (!Array.isArray(extensions)) return [];
  const uris: string[] = [];
  for (const extension of extensions) {
    if (isJsonObject(extension) && isJsonObject(extension.params) && typeof extension.params.jwksUri === "string") {
      uris.push(extension.params.jwksUri);
    }
  }
  return uris;
}

/**
 * Why a card is not acceptable under `policy`: the first `jwksUri` it declares that is
 * not trusted; undefined for a card declaring none or only trusted ones.
 */
export function cardJwksRefusal(card: unknown, policy: JwksUriPolicy): string | undefined {
  for (const uri of cardJwksUris(card)) {
    const refusal = policy.refusal(uri);
    if (refusal !== undefined) return refusal;
  }
  return undefined;
}
