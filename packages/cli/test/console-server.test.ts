import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleBrokerProblem, startConsoleServer, type ConsoleServer } from "../src/ui/console-server.js";

let dir: string;
let server: ConsoleServer;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so paths such as `/../` reach the server as written. */
function get(path: string, method = "GET"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: server.port, path, method }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "a2a-console-assets-"));
  await mkdir(join(dir, "site/assets"), { recursive: true });
  await writeFile(join(dir, "site/index.html"), "<!doctype html><title>console</title>");
  await writeFile(join(dir, "site/assets/index-abc.js"), "console.log(1)");
  await writeFile(join(dir, "secret.txt"), "not for the web");
  server = await startConsoleServer({ broker: "ws://127.0.0.1:9001", topicPrefix: "acme", port: 0, assetsDir: join(dir, "site") });
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the console's static server", () => {
  it("serves the page with a strict content security policy, and the broker in config.json", async () => {
    const page = await get("/");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.body).toContain("<title>console</title>");
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    const config = await get("/config.json?ignored=1");
    expect(JSON.parse(config.body)).toEqual({ broker: "ws://127.0.0.1:9001", topicPrefix: "acme" });
    const script = await get("/assets/index-abc.js");
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.headers["cache-control"]).toContain("immutable");
  });

  it("serves nothing but the built files: no way out of the folder, no other methods", async () => {
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt", "/nope.js"]) {
      const reply = await get(path);
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain("not for the web");
    }
    const post = await get("/", "POST");
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
    const head = await get("/", "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
  });

  it("refuses a broker URL a browser cannot use, and says what to give instead", async () => {
    expect(consoleBrokerProblem("ws://localhost:9001")).toBeUndefined();
    expect(consoleBrokerProblem("wss://broker.example.com/mqtt")).toBeUndefined();
    expect(consoleBrokerProblem("mqtt://localhost:1883")).toMatch(/ws:\/\/ or wss:\/\/.*a2a broker --ws-port/);
    expect(consoleBrokerProblem("localhost")).toMatch(/not a URL/);
    await expect(startConsoleServer({ broker: "mqtt://localhost:1883", port: 0, assetsDir: join(dir, "site") })).rejects.toThrow(/WebSocket/);
  });

  it("names the missing build when the files are not there", async () => {
    await expect(startConsoleServer({ broker: "ws://localhost:9001", port: 0, assetsDir: join(dir, "missing") })).rejects.toThrow(/pnpm build/);
  });
});
