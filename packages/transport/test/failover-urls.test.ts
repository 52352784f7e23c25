import { afterEach, describe, expect, it } from "vitest";
import { freePort, startAedes, waitFor, type AedesHandle } from "@a2a/testing";
import { MqttTransport } from "@a2a/transport/mqtt";

describe("MqttTransport with failover URLs", () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  /** The client ids connected to a broker (aedes keeps them in `clients`, untyped). */
  const connected = (handle: AedesHandle) => Object.keys((handle.broker as unknown as { clients: Record<string, unknown> }).clients);

  async function broker(): Promise<AedesHandle> {
    const handle = await startAedes({ persistence: false });
    cleanup.push(() => handle.close());
    return handle;
  }

  it("connects to the next node when the first is down, and moves on when its node goes away", async () => {
    const down = `mqtt://127.0.0.1:${await freePort()}`;
    const [b, c] = [await broker(), await broker()];
    const transport = new MqttTransport({ url: down, failoverUrls: [b.url, c.url], reconnect: { initialDelayMs: 20, maxDelayMs: 100 }, protocolVersion: 4 });
    cleanup.push(() => transport.close());
    await transport.connect();
    expect(connected(b)).toEqual([transport.clientId]);

    const reconnected = new Promise<void>((resolve) => transport.on("connected", (e) => e.reconnected && resolve()));
    await b.close();
    await waitFor(reconnected, { timeoutMs: 5_000, message: "the transport to reach the third node" });
    expect(connected(c)).toEqual([transport.clientId]);
  });

  it("names an unsupported URL scheme", async () => {
    const b = await broker();
    const transport = new MqttTransport({ url: b.url, failoverUrls: ["http://127.0.0.1:1"], protocolVersion: 4 });
    await expect(transport.connect()).rejects.toThrow(/Unsupported broker URL http:\/\/127\.0\.0\.1:1/);
  });
});
