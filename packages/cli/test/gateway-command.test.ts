import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { startAedes, type AedesHandle } from "@a2a/testing";
import { buildCli, killAll, startCli } from "./helpers/run-cli.js";

let broker: AedesHandle;

beforeAll(async () => {
  await buildCli();
  broker = await startAedes();
});
afterEach(killAll);
afterAll(() => broker?.close());

it("a2a gateway prints its URL, serves the broker's agents over HTTP and stops on SIGINT", async () => {
  const agent = new A2AAgent({ orgId: "test-org", agentId: "hello", name: "Hello", description: "Says hi", broker: broker.url, stopGracePeriodMs: 200 });
  agent.registerTool(function hello(params) {
    return `Hello, ${String(params.message)}`;
  });
  await agent.start();
  try {
    const gateway = startCli(["gateway", "--broker", broker.url, "--port", "0"]);
    const [url] = await gateway.waitForStdout(/http:\/\/127\.0\.0\.1:\d+/);
    await gateway.waitForStderr(/test-org\/hello \(online\)/);
    const res = await fetch(`${url}/test-org/hello/message:send`, {
      method: "POST",
      headers: { "content-type": "application/json", "A2A-Version": "1.0" },
      body: JSON.stringify({ message: { messageId: "m-1", role: "ROLE_USER", parts: [{ text: "HTTP" }] } }),
    });
    const body = (await res.json()) as { task: { artifacts: { parts: { text: string }[] }[] } };
    expect(body.task.artifacts[0]!.parts[0]!.text).toBe("Hello, HTTP");
    expect(await gateway.stop("SIGINT")).toBe(0);
  } finally {
    await agent.stop();
  }
});
