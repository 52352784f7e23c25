import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { Agent as HttpAgent, request as httpRequest, type RequestOptions } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { blockedAddressReason, type AddressPolicy } from "./push-target.js";

/** The outcome of one POST: the status, or why no status came back. */
export type PostOutcome = { status: number } | { error: Error };

/** One webhook POST. */
export interface WebhookRequest {
  url: URL;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Aborts the request (the outcome is then an error). */
  signal: AbortSignal;
}

/** `code` of errors for addresses the policy refuses (not worth retrying). */
export const POLICY_ERROR_CODE = "EA2APOLICY";

/** Largest response body read (and then discarded) from a webhook. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Resolves like dns.lookup, but refuses addresses the policy forbids. Checking the
 * address actually connected to (not only the URL) defeats DNS names that point at
 * private addresses, including ones that change between check and use.
 */
function guardedLookup(policy: AddressPolicy): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error);
      const allowed = addresses.filter((a) => blockedAddressReason(a.address, policy) === undefined);
      if (allowed.length === 0) {
        const reason = addresses[0] === undefined ? "no address" : blockedAddressReason(addresses[0].address, policy);
        return callback(Object.assign(new Error(`Webhook host ${hostname} refused: ${reason}`), { code: POLICY_ERROR_CODE }));
      }
      if (options.all === true) return callback(null, allowed);
      return callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  }) as LookupFunction;
}

/** Sends webhook POSTs over keep-alive connections, with an address policy and a timeout. */
export class WebhookPoster {
  readonly #http: HttpAgent;
  readonly #https: HttpsAgent;
  readonly #lookup: LookupFunction;
  readonly #policy: AddressPolicy;

  constructor(policy: AddressPolicy, maxSocketsPerHost = 4) {
    this.#policy = policy;
    this.#lookup = guardedLookup(policy);
    this.#http = new HttpAgent({ keepAlive: true, maxSockets: maxSocketsPerHost });
    this.#https = new HttpsAgent({ keepAlive: true, maxSockets: maxSocketsPerHost });
  }

  /** POSTs `body`; never throws. Redirects are not followed (a 3xx is a failure). */
  post(request: WebhookRequest): Promise<PostOutcome> {
    const { url, body, headers } = request;
    const options = request;
    return new Promise<PostOutcome>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (outcome: PostOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal.removeEventListener("abort", onAbort);
        resolve(outcome);
      };
      const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
      const literal = blockedAddressReason(host, this.#policy);
      if (literal !== undefined && !literal.endsWith("is not an IP address")) {
        // Settled before any timer or listener exists: nothing to clean up.
        settled = true;
        resolve({ error: Object.assign(new Error(`Webhook host refused: ${literal}`), { code: POLICY_ERROR_CODE }) });
        return;
      }
      const https = url.protocol === "https:";
      const requestOptions: RequestOptions = {
        method: "POST",
        agent: https ? this.#https : this.#http,
        lookup: this.#lookup,
        headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
      };
      const req = (https ? httpsRequest : httpRequest)(url, requestOptions, (res) => {
        let read = 0;
        res.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) res.destroy();
        });
        res.on("error", () => {});
        res.on("close", () => finish({ status: res.statusCode ?? 0 }));
        res.on("end", () => finish({ status: res.statusCode ?? 0 }));
      });
      req.on("socket", (socket) => socket.setNoDelay(true));
      req.on("error", (error) => finish({ error }));
      timer = setTimeout(() => {
        req.destroy(new Error(`Webhook ${url.origin} did not answer within ${options.timeoutMs} ms`));
      }, options.timeoutMs);
      timer.unref();
      const onAbort = (): void => {
        req.destroy(new Error("Delivery stopped"));
      };
      options.signal.addEventListener("abort", onAbort, { once: true });
      if (options.signal.aborted) onAbort();
      req.end(body);
    });
  }

  /** Closes idle and active connections. */
  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }
}
