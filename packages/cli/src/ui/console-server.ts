import { readdir, readFile, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

export interface ConsoleServerOptions {
  /** The broker's MQTT over WebSocket URL (`ws://` or `wss://`) the page connects to. */
  broker: string;
  /** Topic prefix shared with the agents. @default "" */
  topicPrefix?: string;
  /** HTTP port; `0` picks a free one (read it from `url`). @default 7070 */
  port?: number;
  /** Interface to listen on. @default "127.0.0.1" */
  host?: string;
  /** Folder of the built console. @default the copy inside this package's dist/console */
  assetsDir?: string;
}

export interface ConsoleServer {
  /** `http://host:port/`, to open in a browser. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Two levels below the package root in src/ and in dist/ alike. */
const DEFAULT_ASSETS = fileURLToPath(new URL("../../dist/console/", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/** Only the page itself and its broker: no inline script, no other origin. */
const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
};

interface Asset {
  body: Buffer;
  type: string;
  immutable: boolean;
}

/** A readable reason why the page could not use `url`, or undefined. */
export function consoleBrokerProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${url} is not a URL; give the broker's MQTT over WebSocket URL, e.g. ws://localhost:9001.`;
  }
  if (parsed.protocol === "ws:" || parsed.protocol === "wss:") return undefined;
  return (
    `The console connects from the browser, which speaks MQTT only over WebSocket: give the broker's ws:// or wss:// URL, not ${url} ` +
    "(start the embedded broker with `a2a broker --ws-port 9001`, or enable mosquitto's websockets listener)."
  );
}

async function loadAssets(dir: string): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  let names: string[];
  try {
    names = await readdir(dir, { recursive: true });
  } catch {
    throw new Error(`The console's files are missing from ${dir}; build the workspace (pnpm build) to copy them from @a2a/console.`);
  }
  for (const name of names) {
    const path = join(dir, name);
    if (!(await stat(path)).isFile()) continue;
    const urlPath = `/${relative(dir, path).split(sep).join("/")}`;
    assets.set(urlPath, {
      body: await readFile(path),
      type: TYPES[extname(name)] ?? "application/octet-stream",
      // Vite names the bundles after their content.
      immutable: urlPath.startsWith("/assets/"),
    });
  }
  if (!assets.has("/index.html")) throw new Error(`${dir} has no index.html; rebuild @a2a/console (pnpm build).`);
  return assets;
}

/**
 * Serves the built console and a `config.json` naming the broker. Static files only:
 * the page connects to the broker itself, with the credentials its user types in.
 *
 * @example
 * const server = await startConsoleServer({ broker: "ws://localhost:9001", port: 0 });
 * console.log(`open ${server.url}`);
 * await server.close();
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const problem = consoleBrokerProblem(options.broker);
  if (problem) throw new Error(problem);
  const assets = await loadAssets(options.assetsDir ?? DEFAULT_ASSETS);
  const config = Buffer.from(JSON.stringify({ broker: options.broker, topicPrefix: options.topicPrefix ?? "" }));
  assets.set("/config.json", { body: config, type: "application/json", immutable: false });

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("Only GET and HEAD are served.\n");
      return;
    }
    // The path only selects one of the files loaded at start: nothing else on disk is reachable.
    const path = (request.url ?? "/").split("?")[0]!;
    const asset = assets.get(path === "/" ? "/index.html" : path);
    if (asset === undefined) {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8", ...SECURITY_HEADERS }).end("Not found.\n");
      return;
    }
    response.writeHead(200, {
      "content-type": asset.type,
      "content-length": asset.body.length,
      "cache-control": asset.immutable ? "public, max-age=31536000, immutable" : "no-cache",
      ...SECURITY_HEADERS,
    });
    response.end(request.method === "HEAD" ? undefined : asset.body);
  };

  const server = createServer(handle);
  server.on("connection", (socket) => socket.setNoDelay(true));
  const host = options.host ?? "127.0.0.1";
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", (error) => reject(new Error(`The console cannot listen on ${host}:${options.port ?? 7070}: ${error.message}`, { cause: error })));
    server.listen(options.port ?? 7070, host, () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : (options.port ?? 7070));
    });
  });
  const urlHost = host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
