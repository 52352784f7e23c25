// A client process of the pool benchmark: each time it reads "go" on stdin it sends
// <count> blocking requests to the pool, <in flight> at a time, then prints "done <ms>".
// Usage: pool-client <broker url> <agent id> <count> <in flight>
import { createInterface } from "node:readline";
import { A2AClient, userMessage } from "@a2a/client";

const [url, agentId, count, inFlight] = process.argv.slice(2);
if (url === undefined || agentId === undefined) throw new Error("usage: pool-client <url> <agent> <count> <in flight>");
const client = new A2AClient({ broker: url, timeoutMs: 60_000 });
await client.connect();
const pool = client.agent(`bench/${agentId}`);
// One warm-up call, so connection set-up and the first card lookup are not measured.
await pool.sendMessage({ message: userMessage({ text: "warm", skill: "wait" }) });
process.stdout.write("ready\n");
for await (const line of createInterface({ input: process.stdin })) {
  if (line !== "go") continue;
  const total = Number(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Number(inFlight) }, async () => {
      while (next < total) {
        next++;
        await pool.sendMessage({ message: userMessage({ text: "go", skill: "wait" }) });
      }
    }),
  );
  process.stdout.write(`done ${performance.now() - started}\n`);
}
await client.close();
