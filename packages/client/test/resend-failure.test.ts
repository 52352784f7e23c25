import { afterEach, describe, expect, it, vi } from "vitest";
import { InMemoryBroker, InMemoryTransport, TransportError } from "@a2a/transport";
import { waitFor } from "@a2a/testing";
import { A2AClient, A2AClientError, userMessage } from "../src/index.js";

describe("a call asked again after the broker lost the session", () => {
  const closing: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    await Promise.allSettled(closing.splice(0).map((close) => close()));
  });

  it("fails with the client's TRANSPORT_FAILED, the transport's error as cause, when the new request cannot be sent", async () => {
    const broker = new InMemoryBroker();
    // A clean session: the broker keeps nothing across the reconnect, so calls in flight ask again.
    const transport = new InMemoryTransport({ broker, clean: true });
    const client = new A2AClient({ broker: transport, discovery: false, timeoutMs: 10_000 });
    closing.push(() => client.close());
    const requests: string[] = [];
    const listener = new InMemoryTransport({ broker });
    closing.push(() => listener.close());
    await listener.connect();
    await listener.subscribe("acme/silent/tasks", (m) => requests.push(m.topic), { qos: 1 });

    const call = client.agent("acme/silent").sendMessage({ message: userMessage("anyone?") });
    await waitFor(() => requests.length === 1, { message: "the first request reaching the broker" });
    const refused = new TransportError("NOT_CONNECTED", "The broker refused the publish.");
    vi.spyOn(transport, "publish").mockRejectedValue(refused);
    transport.simulateConnectionLoss();

    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(A2AClientError);
    expect((error as A2AClientError).code).toBe("TRANSPORT_FAILED");
    expect((error as A2AClientError).cause).toBe(refused);
  });
});
