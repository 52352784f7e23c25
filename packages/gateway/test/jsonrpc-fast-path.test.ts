// The JSON-RPC endpoint on the gateway's own server (its fast path on the Node request)
// answers exactly as the hono application does (gateway.app.request), for the common
// case and for every request it hands on: errors, limits, keys, unknown and offline
// agents, repeated headers, streams, task isolation.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { A2AAgent } from "@a2a/agent";
import { requireMosquitto, startAedes, startMosquitto, waitFor } from "@a2a/testing";
import { createGateway, type Gateway } from "../src/index.js";
import { startEchoAgent } from "./helpers/echo-agent.js";
import { startRecordingAgent } from "./helpers/recording-agent.js";

type Broker = { url: string; close(): Promise<void> };
let broker: Broker;
let echo: A2AAgent;
let recorder: Awaited<ReturnType<typeof startRecordingAgent>>;
let offline: Awaited<ReturnType<typeof startRecordingAgent>>;
let gateway: Gateway;
let keyed: Gateway;

beforeAll(async () => {
  broker = requireMosquitto() ? await startMosquitto() : await startAedes();
  echo = await startEchoAgent(broker.url);
  recorder = await startRecordingAgent(broker.url, { org: "acme", agent: "recorder" });
  offline = await startRecordingAgent(broker.url, { org: "acme", agent: "sleeper", status: "offline" });
  // No CORS: the JSON-RPC endpoint takes the fast path.
  gateway = await createGateway({ broker: broker.url, port: 0, maxBodyBytes: 4096 });
  keyed = await createGateway({ broker: broker.url, port: 0, apiKeys: ["k-1"], apiKeyHeader: "X-Key" });
  await waitFor(() => gateway.agents().length === 3 && keyed.agents().length === 3);
});

afterAll(async () => {
  await gateway?.close();
  await keyed?.close();
  await echo?.stop({ gracePeriodMs: 100 });
  await recorder?.close();
  await offline?.close();
  await broker?.close();
});

interface Answer {
  status: number;
  type: string | null;
  body: string;
}

const read = async (res: Response): Promise<Answer> => ({ status: res.status, type: res.headers.get("content-type"), body: await res.text() });

/** The same request over HTTP to the gateway's server and through `app.request()`. */
async function both(g: Gateway, path: string, { body, headers = {} }: { body: string; headers?: Record<string, string> }): Promise<[Answer, Answer]> {
  const init = { method: "POST", headers: { "content-type": "application/json", ...headers }, body };
  return [await read(await fetch(`${g.url}${path}`, init)), await read(await g.app.request(path, init))];
}

const rpc = (id: unknown, method: string, params: unknown) => JSON.stringify({ jsonrpc: "2.0", id, method, params });

describe("the JSON-RPC endpoint answers as the hono route does", () => {
  test.each([
    ["a call, with its service parameters", "/acme/recorder", rpc("c-1", "ListTasks", { pageSize: 2 }), { "A2A-Version": "1.0", "A2A-Extensions": "urn:x:a", "X-A2A-Extensions": "urn:x:b", Authorization: "Bearer t" }],
    ["a 0.3 call without A2A-Version", "/acme/recorder", rpc(3, "tasks/get", { id: "t-1" }), {}],
    ["a query string", "/acme/recorder?x=1", rpc(4, "GetTask", { id: "t" }), { "A2A-Version": "1.0" }],
    ["padded header values", "/acme/recorder", rpc(5, "GetTask", { id: "t" }), { "A2A-Version": " 1.0 " }],
    ["not JSON", "/acme/echo", "{nope", {}],
    ["a batch", "/acme/echo", "[]", {}],
    ["not an object", "/acme/echo", "42", {}],
    ["wrong jsonrpc", "/acme/echo", JSON.stringify({ jsonrpc: "1.0", id: 1, method: "GetTask" }), {}],
    ["no method", "/acme/echo", JSON.stringify({ jsonrpc: "2.0", id: 1 }), {}],
    ["an object id", "/acme/echo", JSON.stringify({ jsonrpc: "2.0", id: {}, method: "GetTask" }), {}],
    ["a notification", "/acme/echo", JSON.stringify({ jsonrpc: "2.0", method: "GetTask", params: { id: "t" } }), {}],
    ["an unknown method, answered by the agent", "/acme/echo", rpc(6, "Nope", {}), { "A2A-Version": "1.0" }],
    ["invalid params, answered by the agent", "/acme/echo", rpc(7, "GetTask", { id: 5 }), { "A2A-Version": "1.0" }],
    ["a body over the limit", "/acme/echo", rpc(8, "SendMessage", { message: { text: "x".repeat(8000) } }), {}],
    ["a header over its limit", "/acme/recorder", rpc(9, "GetTask", { id: "t" }), { Authorization: `Bearer ${"x".repeat(9000)}` }],
    ["an unknown agent", "/acme/nobody", rpc(10, "GetTask", { id: "t" }), {}],
    ["an offline agent", "/acme/sleeper", rpc(11, "GetTask", { id: "t" }), {}],
    ["an escaped path", "/acme/recorde%72", rpc(12, "GetTask", { id: "t" }), {}],
    ["a trailing slash", "/acme/recorder/", rpc(13, "GetTask", { id: "t" }), {}],
  ])("%s", async (...[, path, body, headers]) => {
    const [server, app] = await both(gateway, path, { body, headers });
    expect(server).toEqual(app);
  });

  test("a repeated header is joined as hono joins it", async () => {
    const res = await fetch(`${gateway.url}/acme/recorder`, {
      method: "POST",
      headers: [
        ["A2A-Version", "1.0"],
        ["A2A-Extensions", "urn:x:one"],
        ["A2A-Extensions", "urn:x:two"],
      ],
      body: rpc(1, "GetTask", { id: "t" }),
    });
    const answer = (await res.json()) as { result: { serviceParams: Record<string, string> } };
    expect(answer.result.serviceParams["A2A-Extensions"]).toBe("urn:x:one, urn:x:two");
  });

  test("API keys: refused without the key or with a wrong one, in the header named (any case)", async () => {
    const body = rpc(1, "GetTask", { id: "t" });
    for (const headers of [{}, { "x-key": "k-2" }, { "x-key": "k-1" }, { "X-KEY": "k-1" }] as Record<string, string>[]) {
      const [server, app] = await both(keyed, "/acme/recorder", { body, headers });
      expect(server).toEqual(app);
    }
    const [denied] = await both(keyed, "/acme/recorder", { body });
    expect(denied.status).toBe(401);
    const [allowed] = await both(keyed, "/acme/recorder", { body, headers: { "x-key": "k-1" } });
    expect(allowed.status).toBe(200);
  });

  test("a SendMessage answers a completed task; a stream is relayed as SSE", async () => {
    const send = await fetch(`${gateway.url}/acme/echo`, {
      method: "POST",
      headers: { "A2A-Version": "1.0" },
      body: rpc(1, "SendMessage", { message: { messageId: "m-1", role: "ROLE_USER", parts: [{ text: "hi" }] } }),
    });
    expect(send.headers.get("content-type")).toBe("application/json");
    const task = (await send.json()) as { id: number; result: { task: { status: { state: string } } } };
    expect(task.id).toBe(1);
    expect(task.result.task.status.state).toBe("TASK_STATE_COMPLETED");
    const stream = await fetch(`${gateway.url}/acme/echo`, {
      method: "POST",
      headers: { "A2A-Version": "1.0" },
      body: rpc(2, "SendStreamingMessage", { message: { messageId: "m-2", role: "ROLE_USER", parts: [{ text: "hi" }] } }),
    });
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    expect(await stream.text()).toContain('"id":2');
  });

  test("tasks stay with their creator", async () => {
    const send = (auth: string) =>
      fetch(`${gateway.url}/acme/echo`, {
        method: "POST",
        headers: { "A2A-Version": "1.0", Authorization: auth },
        body: rpc(1, "SendMessage", { message: { messageId: crypto.randomUUID(), role: "ROLE_USER", parts: [{ text: "mine" }] } }),
      }).then((r) => r.json() as Promise<{ result: { task: { id: string } } }>);
    const get = (auth: string | undefined, id: string) =>
      fetch(`${gateway.url}/acme/echo`, { method: "POST", headers: { "A2A-Version": "1.0", ...(auth ? { Authorization: auth } : {}) }, body: rpc(2, "GetTask", { id }) }).then(
        (r) => r.json() as Promise<{ result?: { id: string }; error?: { code: number } }>,
      );
    const alice = (await send("Bearer alice")).result.task.id;
    expect((await get("Bearer alice", alice)).result?.id).toBe(alice);
    expect((await get("Bearer bob", alice)).error?.code).toBe(-32001);
    expect((await get(undefined, alice)).error?.code).toBe(-32001);
  });

  test("a chunked body over the limit is cut off with 413", async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode("x".repeat(1024)));
        controller.close();
      },
    });
    const res = await fetch(`${gateway.url}/acme/echo`, { method: "POST", body: chunks, duplex: "half" });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32600);
  });
});
