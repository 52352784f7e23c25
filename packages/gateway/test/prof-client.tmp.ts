import { fork } from "node:child_process";
const child = fork(process.argv[2]!, [], { execArgv: ["--conditions=@a2a/source", "--import", "tsx", ...(process.argv[3] ? ["--cpu-prof", "--cpu-prof-dir=/tmp/gwprof"] : [])] });
const msg = () => new Promise<any>((r) => child.once("message", r));
const { url } = await msg();
const body = (i: number) => JSON.stringify({ jsonrpc: "2.0", id: i, method: "SendMessage", params: { message: { messageId: `m${i}-${Math.random()}`, role: "ROLE_USER", parts: [{ text: "x".repeat(100) }] } } });
async function run(n: number) {
  let i = 0;
  const t = performance.now();
  await Promise.all(Array.from({ length: 100 }, async () => {
    while (i < n) { const k = i++; const r = await fetch(url.endsWith("#") ? url.slice(0, -1) : `${url}/acme/echo`, { method: "POST", body: body(k), headers: { "content-type": "application/json", "A2A-Version": "1.0" } }); await r.text(); }
  }));
  return n / ((performance.now() - t) / 1000);
}
await run(500);
child.send("reset"); await msg();
const c0 = process.cpuUsage();
const ops = await run(3000);
const c1 = process.cpuUsage(c0);
child.send("stop");
const { cpu } = await msg();
console.log("ops/s", ops.toFixed(0), "client cpu us/op", ((c1.user + c1.system) / 3000).toFixed(0), "server cpu us/op", (cpu / 3000).toFixed(0));
