/**
 * What mosquitto does with the requests of a dead shared-subscription member, with
 * persistent and with clean member sessions (docs/binding.md, "Agent pools").
 *
 *   pnpm tsx --conditions=@a2a/source scripts/measure-pool-sessions.ts
 *
 * Two members share `$share/g/t`; member 1 stops acknowledging (a busy, then dead
 * process) and its socket is destroyed after 40 requests; 20 more follow; then it comes
 * back under the same client id. Counts how many of the 60 reached anyone.
 */
import { connectAsync, type IClientOptions } from "mqtt";
import { startMosquitto } from "@a2a/testing";

const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

async function measure(mode: "persistent" | "clean"): Promise<void> {
  const broker = await startMosquitto();
  const session: IClientOptions = { protocolVersion: 5, clean: mode === "clean", properties: { sessionExpiryInterval: mode === "clean" ? 0 : 300 }, reconnectPeriod: 0 };
  const live: string[] = [];
  const dead: string[] = [];
  const member1 = await connectAsync(broker.url, {
    ...session,
    clientId: "m1",
    // Never acknowledges: what it holds is lost when it dies.
    customHandleAcks: (_topic: string, message: Buffer) => void dead.push(message.toString()),
  } as IClientOptions);
  const member2 = await connectAsync(broker.url, { ...session, clientId: "m2" });
  member2.on("message", (_topic, message) => live.push(message.toString()));
  await member1.subscribeAsync("$share/g/t", { qos: 1 });
  await member2.subscribeAsync("$share/g/t", { qos: 1 });
  const publisher = await connectAsync(broker.url, { protocolVersion: 5, clientId: "pub" });
  for (let i = 0; i < 40; i++) await publisher.publishAsync("t", `m${i}`, { qos: 1 });
  await settle();
  member1.stream.destroy();
  await settle();
  for (let i = 40; i < 60; i++) await publisher.publishAsync("t", `m${i}`, { qos: 1 });
  await settle();
  const reachedLive = new Set(live).size;
  const back: string[] = [];
  const returned = await connectAsync(broker.url, { ...session, clean: false, clientId: "m1" });
  returned.on("message", (_topic, message) => back.push(message.toString()));
  await settle();
  const reached = new Set([...live, ...back]);
  const missing = Array.from({ length: 60 }, (_, i) => `m${i}`).filter((m) => !reached.has(m)).length;
  console.log(`${mode} member sessions: ${reachedLive}/60 reached the live member; the dead member returned to ${back.length}; ${missing} never delivered to a live process`);
  await Promise.all([returned.endAsync(true), member2.endAsync(true), publisher.endAsync(true)]);
  await broker.close();
}

await measure("persistent");
await measure("clean");
