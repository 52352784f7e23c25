import { startAedes } from "@a2a/testing";
import { createGateway } from "../src/index.js";
import { startEchoAgent } from "./helpers/echo-agent.js";
const broker = await startAedes();
const agent = await startEchoAgent(broker.url);
const gw = await createGateway({ broker: broker.url, port: 0 });
await new Promise((r) => setTimeout(r, 300));
let c0 = process.cpuUsage();
process.send!({ url: gw.url });
process.on("message", async (m: string) => {
  if (m === "reset") { c0 = process.cpuUsage(); process.send!("ok"); return; }
  const c1 = process.cpuUsage(c0);
  process.send!({ cpu: c1.user + c1.system });
  await gw.close(); await agent.stop({ gracePeriodMs: 10 }); await broker.close();
  process.exit(0);
});
