// The `a2a gateway` command's logic: an HTTP agent exposed on the broker and the HTTP
// gateway in front of the broker in one run, stopped by its signal.
import { expect, test } from "vitest";
import { startAedes, waitFor } from "@a2a/testing";
import { runGateway } from "../src/index.js";
import { startSdkHttpAgent } from "./helpers/sdk-echo.js";

test("--expose and --port together: the HTTP agent goes through MQTT and back out over HTTP", async () => {
  const broker = await startAedes();
  const http = await startSdkHttpAgent();
  const lines: string[] = [];
  const stop = new AbortController();
  const running = runGateway({ broker: broker.url, port: 0, expose: [http.cardUrl], signal: stop.signal, log: (l) => lines.push(l) });
  try {
    const line = await waitFor(() => lines.find((l) => l.startsWith("A2A gateway on ")));
    const url = /on (http:\/\/\S+)/.exec(line)![1]!;
    expect(lines).toContain("  announced as http/sdk-echo (MQTT clients call it as \"http/sdk-echo\")");
    const card = await waitFor(async () => {
      const res = await fetch(`${url}/http/sdk-echo/.well-known/agent-card.json`);
      return res.ok ? ((await res.json()) as { supportedInterfaces: { protocolBinding: string }[] }) : undefined;
    });
    expect(card.supportedInterfaces[0]!.protocolBinding).toBe("JSONRPC");
    const res = await fetch(`${url}/http/sdk-echo/message:send`, {
      method: "POST",
      headers: { "content-type": "application/json", "A2A-Version": "1.0" },
      body: JSON.stringify({ message: { messageId: "m-1", role: "ROLE_USER", parts: [{ text: "round trip" }] } }),
    });
    const result = (await res.json()) as { task: { artifacts: { parts: { text: string }[] }[] } };
    expect(result.task.artifacts[0]!.parts[0]!.text).toBe("SDK echo: round trip");
  } finally {
    stop.abort();
    await running;
    await http.stop();
    await broker.close();
  }
  expect(lines.at(-1)).toBe("Stopping ...");
});
