import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the webhook server received. */
export interface ReceivedHook {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** How the server answered (0 while it is holding the request). */
  status: number;
}

/** Answers a request: an HTTP status, or "hang" to never answer. */
export type HookResponder = (hook: ReceivedHook, index: number) => number | "hang";

/** A real HTTP server on 127.0.0.1 recording every request it receives. */
export async function startWebhookServer(respond: HookResponder = () => 200) {
  const received: ReceivedHook[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      const hook: ReceivedHook = { path: req.url ?? "", method: req.method ?? "", headers: req.headers, body, status: 0 };
      const index = received.filter((r) => r.path === hook.path).length;
      received.push(hook);
      const answer = respond(hook, index);
      if (answer === "hang") {
        hanging.push(res);
        return;
      }
      hook.status = answer;
      res.writeHead(answer).end();
    });
  });
  server.on("connection", (socket) => socket.setNoDelay(true));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Requests to `path`, in arrival order. */
    at: (path: string) => received.filter((r) => r.path === path),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
