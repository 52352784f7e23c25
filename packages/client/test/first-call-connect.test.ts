import { createServer, type Server, type Socket } from "node:net";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@a2a/testing";
import { A2AClient, A2AClientError } from "../src/index.js";

interface SilentBroker {
  url: string;
  sockets: Socket[];
  /** Sockets that sent their MQTT CONNECT. */
  connects: Socket[];
  closed: Socket[];
  server: Server;
}

/** A TCP server that takes the MQTT CONNECT and never answers it: a broker that hangs. */
async function silentBroker(): Promise<SilentBroker> {
  const sockets: Socket[] = [];
  const connects: Socket[] = [];
  const closed: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.once("data", () => connects.push(socket));
    socket.on("close", () => closed.push(socket));
    socket.on("error", () => undefined);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `mqtt://127.0.0.1:${port}`, sockets, connects, closed, server };
}

const codeOf = (error: unknown) => (error instanceof A2AClientError ? error.code : String(error));

describe("the first call's deadline and signal cover connecting", () => {
  const cleanups: Array<() => Promise<void>> = [];
  // The MQTT library is loaded on the first connect; load it before the deadlines start.
  beforeAll(async () => {
    await import("@a2a/transport/mqtt");
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup() {
    const broker = await silentBroker();
    const client = new A2AClient({ broker: broker.url, discovery: false });
    cleanups.push(async () => {
      await client.close();
      for (const s of broker.sockets) s.destroy();
      await new Promise<void>((resolve) => broker.server.close(() => resolve()));
    });
    return { broker, client };
  }

  it("fails a first call with TIMEOUT within its timeoutMs when the broker never accepts the connection", async () => {
    const { broker, client } = await setup();
    const started = Date.now();
    const error = await client.agent("acme/bot").getTask("t1", { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("TIMEOUT");
    expect((error as Error).message).toMatch(/Connecting to the broker took longer than the 200 ms/);
    // Far below the MQTT connect timeout (30 s): the call's own deadline ended it.
    expect(Date.now() - started).toBeLessThan(5_000);
    // No call waits any more: the connect attempt is given up, no socket left open.
    await expect.poll(() => broker.closed.length, { timeout: 5_000 }).toBe(broker.sockets.length);
  });

  it("fails a first stream with TIMEOUT too, and the next call tries to connect again", async () => {
    const { broker, client } = await setup();
    const stream = async () => {
      for await (const _ of client.agent("acme/bot").subscribeToTask("t1", { timeoutMs: 150 })) void _;
    };
    expect(codeOf(await stream().catch((e: unknown) => e))).toBe("TIMEOUT");
    const first = broker.sockets.length;
    await expect.poll(() => broker.closed.length, { timeout: 5_000 }).toBe(first);
    const controller = new AbortController();
    const again = client.agent("acme/bot").getTask("t1", { signal: controller.signal }).catch((e: unknown) => e);
    await expect.poll(() => broker.connects.length, { timeout: 5_000 }).toBe(first + 1);
    controller.abort();
    expect(codeOf(await again)).toBe("ABORTED");
  });

  it("aborts connecting when the first call's signal aborts", async () => {
    const { broker, client } = await setup();
    const controller = new AbortController();
    const call = client.agent("acme/bot").getTask("t1", { signal: controller.signal }).catch((e: unknown) => e);
    await expect.poll(() => broker.connects.length, { timeout: 5_000 }).toBe(1);
    controller.abort();
    expect(codeOf(await call)).toBe("ABORTED");
    await expect.poll(() => broker.closed.length, { timeout: 5_000 }).toBe(1);
  });

  it("keeps connecting while another call still waits for it", async () => {
    const { broker, client } = await setup();
    const controller = new AbortController();
    const aborted = client.agent("acme/bot").getTask("a", { signal: controller.signal }).catch((e: unknown) => e);
    const patient = client
      .agent("acme/bot")
      .getTask("b", { timeoutMs: 300 })
      .then(
        () => ({ error: undefined as unknown, socketClosedMeanwhile: false }),
        (e: unknown) => ({ error: e, socketClosedMeanwhile: broker.closed.length > 0 }),
      );
    await expect.poll(() => broker.connects.length, { timeout: 5_000 }).toBe(1);
    controller.abort();
    expect(codeOf(await aborted)).toBe("ABORTED");
    const outcome = await patient;
    expect(codeOf(outcome.error)).toBe("TIMEOUT");
    // One attempt for both calls, still open until the second one gave up.
    expect(outcome.socketClosedMeanwhile).toBe(false);
    expect(broker.sockets.length).toBe(1);
    await expect.poll(() => broker.closed.length, { timeout: 5_000 }).toBe(1);
  });

  it("aborts connect({ signal }) with ABORTED", async () => {
    const { broker, client } = await setup();
    const controller = new AbortController();
    const connecting = client.connect({ signal: controller.signal }).catch((e: unknown) => e);
    await expect.poll(() => broker.connects.length, { timeout: 5_000 }).toBe(1);
    controller.abort();
    expect(codeOf(await connecting)).toBe("ABORTED");
    await expect.poll(() => broker.closed.length, { timeout: 5_000 }).toBe(1);
  });

  it("fails with CONNECT_FAILED, the transport's error as cause, when the broker refuses the connection", async () => {
    const port = await freePort();
    const client = new A2AClient({ broker: `mqtt://127.0.0.1:${port}`, discovery: false });
    cleanups.push(() => client.close());
    const error = await client.agent("acme/bot").getTask("t1", { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("CONNECT_FAILED");
    expect((error as Error).cause).toMatchObject({ name: "TransportError", code: "CONNECT_FAILED" });
  });
});
