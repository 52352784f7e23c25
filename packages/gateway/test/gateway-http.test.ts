// The gateway's own HTTP surface: directory, cards, errors, headers, keys, CORS, limits
// and SSE lifetimes, with real HTTP on a free port and a real broker.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { A2AAgent } from "@a2a/agent";
import { requireMosquitto, startAedes, startMosquitto, waitFor } from "@a2a/testing";
import { BINDING_URI } from "@a2a/transport/binding";
import { createGateway, type Gateway } from "../src/index.js";
import { startEchoAgent } from "./helpers/echo-agent.js";
import { startRecordingAgent } from "./helpers/recording-agent.js";

type Broker = { url: string; close(): Promise<void> };
let broker: Broker;
let echo: A2AAgent;
let recorder: Awaited<ReturnType<typeof startRecordingAgent>>;
let offline: Awaited<ReturnType<typeof startRecordingAgent>>;
let gateway: Gateway;

beforeAll(async () => {
  // MQTT 5 where mosquitto is installed (service parameters as user properties), else aedes.
  broker = requireMosquitto() ? await startMosquitto() : await startAedes();
  echo = await startEchoAgent(broker.url);
  recorder = await startRecordingAgent(broker.url, { org: "acme", agent: "recorder" });
  offline = await startRecordingAgent(broker.url, { org: "acme", agent: "sleeper", status: "offline" });
  gateway = await createGateway({
    broker: broker.url,
    port: 0,
    maxBodyBytes: 4096,
    cors: { origin: "https://console.example" },
  });
  await waitFor(() => gateway.agents().length === 3);
});

afterAll(async () => {
  await gateway?.close();
  await echo?.stop({ gracePeriodMs: 100 });
  await recorder?.close();
  await offline?.close();
  await broker?.close();
});

const rpc = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gateway.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const message = (text: string) => ({ messageId: crypto.randomUUID(), role: "ROLE_USER", parts: [{ text }] });

describe("directory and cards", () => {
  test("GET /agents lists every agent with its URLs and status", async () => {
    const res = await fetch(`${gateway.url}/agents`);
    expect(res.status).toBe(200);
    const { agents } = (await res.json()) as { agents: { id: string; status: string; url: string; cardUrl: string }[] };
    expect(agents.map((a) => [a.id, a.status])).toEqual([
      ["acme/echo", "online"],
      ["acme/recorder", "online"],
      ["acme/sleeper", "offline"],
    ]);
    expect(agents[0]!.url).toBe(`${gateway.url}/acme/echo`);
    expect(agents[0]!.cardUrl).toBe(`${gateway.url}/acme/echo/.well-known/agent-card.json`);
  });

  test("the card names the gateway's JSON-RPC and HTTP+JSON URLs first and keeps the MQTT interface", async () => {
    const res = await fetch(`${gateway.url}/acme/echo/.well-known/agent-card.json`);
    expect(res.status).toBe(200);
    const card = (await res.json()) as { supportedInterfaces: { url: string; protocolBinding: string }[] };
    // One entry per protocol version the agent declares, in this order of bindings.
    const bindings = card.supportedInterfaces.map((i) => i.protocolBinding);
    expect([...new Set(bindings)]).toEqual(["JSONRPC", "HTTP+JSON", BINDING_URI]);
    expect(bindings.lastIndexOf("HTTP+JSON")).toBeLessThan(bindings.indexOf(BINDING_URI));
    const urls = new Map(card.supportedInterfaces.map((i) => [i.protocolBinding, i.url]));
    expect(urls.get("JSONRPC")).toBe(`${gateway.url}/acme/echo`);
    expect(urls.get("HTTP+JSON")).toBe(`${gateway.url}/acme/echo`);
    expect(urls.get(BINDING_URI)).toBe("mqtt://acme/echo");
  });

  test("waitForAgent resolves for an online agent and names the agent when it gives up", async () => {
    expect((await gateway.waitForAgent("acme/echo")).status).toBe("online");
    await expect(gateway.waitForAgent("acme/sleeper", { timeoutMs: 100 })).rejects.toThrow("acme/sleeper did not come online");
  });

  test("an offline agent answers 503 with a JSON body; an unknown one 404", async () => {
    const down = await fetch(`${gateway.url}/acme/sleeper/.well-known/agent-card.json`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ agent: "acme/sleeper", status: "offline" });
    const call = await rpc("/acme/sleeper", { jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "x" } });
    expect(call.status).toBe(503);
    const unknown = await fetch(`${gateway.url}/acme/nobody/.well-known/agent-card.json`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain("acme/nobody");
  });
});

describe("service parameters", () => {
  test("A2A-Version, A2A-Extensions and Authorization reach the agent; the request body is forwarded as sent", async () => {
    const res = await rpc(
      "/acme/recorder",
      { jsonrpc: "2.0", id: "caller-7", method: "ListTasks", params: { contextId: "c-1", pageSize: 2 } },
      { "A2A-Version": "1.0", "A2A-Extensions": "urn:x:one, urn:x:two", Authorization: "Bearer tok-123" },
    );
    const body = (await res.json()) as { id: string; result: { method: string; params: unknown; serviceParams: Record<string, string> } };
    expect(body.id).toBe("caller-7");
    expect(body.result.method).toBe("ListTasks");
    expect(body.result.params).toEqual({ contextId: "c-1", pageSize: 2 });
    expect(body.result.serviceParams).toMatchObject({
      "A2A-Version": "1.0",
      "A2A-Extensions": "urn:x:one, urn:x:two",
      "a2a-authorization": "Bearer tok-123",
    });
  });

  test("a request without A2A-Version goes on without one (a 0.3 request, with its 0.3 method name)", async () => {
    const res = await rpc("/acme/recorder", { jsonrpc: "2.0", id: 3, method: "tasks/get", params: { id: "t-1" } });
    const body = (await res.json()) as { id: number; result: { method: string; serviceParams: Record<string, string> } };
    expect(body.id).toBe(3);
    expect(body.result.method).toBe("tasks/get");
    expect(body.result.serviceParams["A2A-Version"]).toBeUndefined();
  });
});

describe("bad input gets the binding's errors", () => {
  test.each([
    ["not JSON", "{nope", -32700],
    ["a batch", "[]", -32600],
    ["not an object", "42", -32600],
    ["wrong jsonrpc", JSON.stringify({ jsonrpc: "1.0", id: 1, method: "GetTask" }), -32600],
    ["no method", JSON.stringify({ jsonrpc: "2.0", id: 1 }), -32600],
    ["an object id", JSON.stringify({ jsonrpc: "2.0", id: {}, method: "GetTask" }), -32600],
  ])("JSON-RPC: %s", async (_name, body, code) => {
    const res = await rpc("/acme/echo", body);
    const answer = (await res.json()) as { jsonrpc: string; error: { code: number; message: string } };
    expect(answer.jsonrpc).toBe("2.0");
    expect(answer.error.code).toBe(code);
    expect(answer.error.message).not.toMatch(/at .*\.ts|node_modules/);
  });

  test("JSON-RPC: an unknown method and invalid params are answered by the agent", async () => {
    const unknown = (await (await rpc("/acme/echo", { jsonrpc: "2.0", id: 1, method: "Nope", params: {} }, { "A2A-Version": "1.0" })).json()) as { error: { code: number } };
    expect(unknown.error.code).toBe(-32601);
    const invalid = (await (await rpc("/acme/echo", { jsonrpc: "2.0", id: 2, method: "GetTask", params: { id: 5 } }, { "A2A-Version": "1.0" })).json()) as { error: { code: number } };
    expect(invalid.error.code).toBe(-32602);
  });

  test("a body over the limit gets 413", async () => {
    const res = await rpc("/acme/echo", { jsonrpc: "2.0", id: 1, method: "SendMessage", params: { message: message("x".repeat(8000)) } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32600);
  });

  test("REST: an unknown task is 404 with a google.rpc.Status body naming the reason", async () => {
    const res = await fetch(`${gateway.url}/acme/echo/tasks/no-such-task`, { headers: { "A2A-Version": "1.0" } });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: number; status: string; details: { reason?: string }[] } };
    expect(body.error).toMatchObject({ code: 404, status: "NOT_FOUND" });
    expect(body.error.details[0]?.reason).toBe("TASK_NOT_FOUND");
  });

  test("REST: a body that is not a JSON object is 400; an unknown route 404", async () => {
    const bad = await fetch(`${gateway.url}/acme/echo/message:send`, { method: "POST", body: "[1]", headers: { "A2A-Version": "1.0" } });
    expect(bad.status).toBe(400);
    const nowhere = await fetch(`${gateway.url}/acme/echo/tasks/x:explode`, { method: "POST", headers: { "A2A-Version": "1.0" } });
    expect(nowhere.status).toBe(404);
  });
});

describe("CORS", () => {
  test("a preflight from the allowed origin is answered with its headers", async () => {
    const res = await fetch(`${gateway.url}/acme/echo`, {
      method: "OPTIONS",
      headers: { Origin: "https://console.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,a2a-version" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://console.example");
  });
});

describe("SSE streams", () => {
  test("a client that disconnects ends only its own stream: the task and another subscriber go on", async () => {
    const started = (await (await rpc("/acme/echo", { jsonrpc: "2.0", id: 1, method: "SendMessage", params: { message: message("wait"), configuration: { returnImmediately: true } } }, { "A2A-Version": "1.0" })).json()) as { result: { task: { id: string } } };
    const taskId = started.result.task.id;
    const subscribe = (signal?: AbortSignal) =>
      fetch(`${gateway.url}/acme/echo/tasks/${taskId}:subscribe`, { headers: { "A2A-Version": "1.0" }, ...(signal ? { signal } : {}) });
    const leaving = new AbortController();
    const first = await subscribe(leaving.signal);
    const second = await subscribe();
    expect(first.headers.get("content-type")).toContain("text/event-stream");
    const firstReader = first.body!.getReader();
    await firstReader.read(); // the current Task
    leaving.abort();
    await expect(firstReader.read()).rejects.toThrow();

    const task = (await (await fetch(`${gateway.url}/acme/echo/tasks/${taskId}`, { headers: { "A2A-Version": "1.0" } })).json()) as { status: { state: string } };
    expect(task.status.state).toBe("TASK_STATE_WORKING");
    await fetch(`${gateway.url}/acme/echo/tasks/${taskId}:cancel`, { method: "POST", headers: { "A2A-Version": "1.0" } });
    const text = await second.text(); // ends when the MQTT stream ends
    expect(text).toContain("TASK_STATE_CANCELED");
  });
});

describe("API keys", () => {
  test("the binding endpoints require a key when keys are configured; cards stay public", async () => {
    const locked = await createGateway({ broker: broker.url, port: 0, apiKeys: ["k-1"] });
    try {
      await waitFor(() => locked.agents().some((a) => a.id === "acme/recorder"));
      const request = { jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "t" } };
      const denied = await fetch(`${locked.url}/acme/recorder`, { method: "POST", body: JSON.stringify(request) });
      expect(denied.status).toBe(401);
      const wrong = await fetch(`${locked.url}/acme/recorder`, { method: "POST", body: JSON.stringify(request), headers: { "x-api-key": "k-2" } });
      expect(wrong.status).toBe(401);
      const allowed = await fetch(`${locked.url}/acme/recorder`, { method: "POST", body: JSON.stringify(request), headers: { "x-api-key": "k-1" } });
      expect(allowed.status).toBe(200);
      expect((await fetch(`${locked.url}/acme/recorder/.well-known/agent-card.json`)).status).toBe(200);
    } finally {
      await locked.close();
    }
  });
});

describe("no hung connections", () => {
  test("an agent that never answers: the call and the stream end with 504 after the timeout", async () => {
    const silent = await startRecordingAgent(broker.url, { org: "acme", agent: "silent", status: "online", answer: () => [] });
    const quick = await createGateway({ broker: broker.url, port: 0, timeoutMs: 300 });
    try {
      await waitFor(() => quick.agents().some((a) => a.id === "acme/silent"));
      const call = await fetch(`${quick.url}/acme/silent`, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "GetTask", params: { id: "t" } }) });
      expect(call.status).toBe(504);
      expect(((await call.json()) as { id: number; error: { message: string } }).error.message).toContain("did not answer");
      const stream = await fetch(`${quick.url}/acme/silent/tasks/t:subscribe`);
      expect(stream.status).toBe(504);
      expect(((await stream.json()) as { error: { status: string } }).error.status).toBe("DEADLINE_EXCEEDED");
    } finally {
      await quick.close();
      await silent.close();
    }
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
  });
});

describe("task isolation between HTTP callers", () => {
  const send = (auth: string | undefined, text: string) =>
    rpc(
      "/acme/echo",
      { jsonrpc: "2.0", id: 1, method: "SendMessage", params: { message: message(text) } },
      { "A2A-Version": "1.0", ...(auth ? { Authorization: auth } : {}) },
    ).then((r) => r.json() as Promise<{ result: { task: { id: string } } }>);
  const get = (auth: string | undefined, id: string) =>
    rpc("/acme/echo", { jsonrpc: "2.0", id: 2, method: "GetTask", params: { id } }, { "A2A-Version": "1.0", ...(auth ? { Authorization: auth } : {}) }).then(
      (r) => r.json() as Promise<{ result?: { id: string }; error?: { code: number } }>,
    );

  test("a task is found by its creator only, and listed only to it", async () => {
    const alice = (await send("Bearer alice", "mine")).result.task.id;
    expect((await get("Bearer alice", alice)).result?.id).toBe(alice);
    expect((await get("Bearer bob", alice)).error?.code).toBe(-32001);
    expect((await get(undefined, alice)).error?.code).toBe(-32001);
    const rest = await fetch(`${gateway.url}/acme/echo/tasks/${alice}`, { headers: { "A2A-Version": "1.0", Authorization: "Bearer bob" } });
    expect(rest.status).toBe(404);
    const listed = async (auth: string) =>
      ((await (await fetch(`${gateway.url}/acme/echo/tasks`, { headers: { "A2A-Version": "1.0", Authorization: auth } })).json()) as { tasks: { id: string }[] }).tasks.map((t) => t.id);
    expect(await listed("Bearer alice")).toContain(alice);
    expect(await listed("Bearer bob")).not.toContain(alice);
  });
});
