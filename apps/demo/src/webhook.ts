import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { StreamResponseSchema, type StreamResponse } from "@a2a/schema";

/** One push notification received. */
export interface PushDelivery {
  body: StreamResponse;
  /** The `Authorization` header, when the agent sent one. */
  authorization: string | undefined;
  /** The `X-A2A-Notification-Token` header, when the agent sent one. */
  token: string | undefined;
  contentType: string | undefined;
}

export interface WebhookOptions {
  /** Called for every valid delivery, as it arrives. */
  onDelivery?: (delivery: PushDelivery) => void;
  /** Called for a request that is refused, with the reason. */
  onRefused?: (reason: string) => void;
  /** Largest body accepted, in bytes. @default 1048576 */
  maxBodyBytes?: number;
  /** Deliveries kept; older ones are dropped. @default 1000 */
  maxDeliveries?: number;
}

/**
 * A local HTTP endpoint for A2A push notifications, on 127.0.0.1 and a free port:
 * the stand-in for a system that is not on MQTT (an ERP, a ticketing tool) and is
 * called back over HTTP. It accepts POSTs whose body is a StreamResponse.
 */
export class Webhook {
  readonly deliveries: PushDelivery[] = [];
  readonly #options: WebhookOptions;
  readonly #server: Server;
  readonly #waiters = new Set<() => void>();
  #url: string | undefined;

  constructor(options: WebhookOptions = {}) {
    this.#options = options;
    this.#server = createServer((req, res) => {
      const refuse = (status: number, reason: string) => {
        this.#options.onRefused?.(reason);
        res.writeHead(status, { "content-type": "text/plain" }).end(reason);
      };
      if (req.method !== "POST") return refuse(405, "POST a StreamResponse");
      const max = this.#options.maxBodyBytes ?? 1024 * 1024;
      const chunks: Buffer[] = [];
      let size = 0;
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > max) {
          refuse(413, `body larger than ${max} bytes`);
          req.destroy();
        } else chunks.push(chunk);
      });
      req.on("end", () => {
        if (size > max) return;
        let json: unknown;
        try {
          json = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          return refuse(400, "body is not JSON");
        }
        const parsed = StreamResponseSchema.safeParse(json);
        if (!parsed.success) return refuse(400, `body is not a StreamResponse: ${parsed.error.issues[0]?.message ?? "invalid"}`);
        this.#accept({ body: parsed.data, ...headersOf(req.headers) });
        res.writeHead(204).end();
      });
    });
    // A push is one small request; Nagle's delay would only slow the reply.
    this.#server.on("connection", (socket) => socket.setNoDelay(true));
  }

  /** `http://127.0.0.1:{port}/a2a/push`, once listening. */
  get url(): string {
    if (this.#url === undefined) throw new Error("The webhook is not listening; call listen() first");
    return this.#url;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(0, "127.0.0.1", () => {
        this.#server.off("error", reject);
        resolve();
      });
    });
    const address = this.#server.address();
    if (address === null || typeof address === "string") throw new Error("The webhook has no TCP address");
    this.#url = `http://127.0.0.1:${address.port}/a2a/push`;
    return this.#url;
  }

  /** The first delivery (past or future) that `match` accepts; rejects after `timeoutMs`. */
  waitFor(match: (delivery: PushDelivery) => boolean, timeoutMs: number, signal?: AbortSignal): Promise<PushDelivery> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.deliveries.find(match);
        if (found === undefined) return false;
        done();
        resolve(found);
        return true;
      };
      const onAbort = () => {
        done();
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`No matching push notification reached ${this.#url} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        signal?.removeEventListener("abort", onAbort);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      if (!check()) this.#waiters.add(check);
    });
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #accept(delivery: PushDelivery): void {
    this.deliveries.push(delivery);
    if (this.deliveries.length > (this.#options.maxDeliveries ?? 1000)) this.deliveries.shift();
    this.#options.onDelivery?.(delivery);
    for (const check of [...this.#waiters]) check();
  }
}

function headersOf(headers: IncomingHttpHeaders): Omit<PushDelivery, "body"> {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return {
    authorization: one(headers.authorization),
    token: one(headers["x-a2a-notification-token"]),
    contentType: one(headers["content-type"]),
  };
}
