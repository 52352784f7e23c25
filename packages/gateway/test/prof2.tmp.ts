import { start } from "../../../bench/servers/sdk-server.ts";
import { ServerControl } from "../../../bench/lib/server-control.ts";
const s = await start({}, new ServerControl());
const url = `${s.info.url}/a2a/jsonrpc`;
const body = (i: number) => JSON.stringify({ jsonrpc: "2.0", id: i, method: "SendMessage", params: { message: { messageId: `m${i}-${Math.random()}`, role: "ROLE_USER", parts: [{ text: "x".repeat(100) }] } } });
async function run(n: number) {
  let i = 0;
  const t = performance.now();
  await Promise.all(Array.from({ length: 100 }, async () => {
    while (i < n) { const k = i++; const r = await fetch(url, { method: "POST", body: body(k), headers: { "content-type": "application/json", "A2A-Version": "1.0" } }); await r.text(); }
  }));
  return n / ((performance.now() - t) / 1000);
}
console.log((await (await fetch(url, { method: "POST", body: body(0), headers: { "content-type": "application/json", "A2A-Version": "1.0" } })).text()).slice(0, 200));
await run(300);
const c0 = process.cpuUsage();
const ops = await run(2000);
const c1 = process.cpuUsage(c0);
console.log("ops/s", ops, "cpu us/op", (c1.user + c1.system) / 2000);
await s.stop();
process.exit(0);
