import { startAedes } from "@a2a/testing";
import { createGateway } from "../src/index.js";
import { startEchoAgent } from "./helpers/echo-agent.js";
const broker = await startAedes();
const agent = await startEchoAgent(broker.url);
const gw = await createGateway({ broker: broker.url, port: 0 });
await new Promise((r) => setTimeout(r, 300));
const body = (i: number) => JSON.stringify({ jsonrpc: "2.0", id: i, method: "SendMessage", params: { message: { messageId: `m${i}-${Math.random()}`, role: "ROLE_USER", parts: [{ text: "x".repeat(100) }] } } });
async function run(n: number) {
  let i = 0;
  const t = performance.now();
  await Promise.all(Array.from({ length: 100 }, async () => {
    while (i < n) { const k = i++; const r = await fetch(`${gw.url}/acme/echo`, { method: "POST", body: body(k), headers: { "content-type": "application/json", "A2A-Version": "1.0" } }); await r.text(); }
  }));
  return n / ((performance.now() - t) / 1000);
}
await run(300);
const c0 = process.cpuUsage();
const ops = await run(2000);
const c1 = process.cpuUsage(c0);
console.log("ops/s", ops, "cpu us/op", (c1.user + c1.system) / 2000);
await gw.close(); await agent.stop({ gracePeriodMs: 10 }); await broker.close();
process.exit(0);
