/**
 * Floods an agent (in its own process, on an embedded aedes broker) and measures its
 * resident memory, read from /proc (Linux):
 *
 * 1. 3,000 valid SendMessage requests of ~900 KB each: the agent must stay alive, its
 *    peak RSS stay below 512 MB, and requests sent after the flood be answered.
 * 2. 300,000 junk messages from the fuzz corpus (test/reliability/fuzz-corpus.ts): RSS
 *    must plateau below 250 MB.
 *
 *   pnpm memory-flood [--requests N] [--junk N] [--budget-mib M] [--agent-heap-mib H]
 *
 * (`pnpm memory-flood` builds first: the flooded agent runs on the built packages.)
 *
 * Prints progress and the figures; exits 1 when a bound is missed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { decodeReply } from "@a2a/transport/binding";
import { MqttTransport } from "@a2a/transport/mqtt";
import { startAedes, waitFor } from "@a2a/testing";
import { FuzzCorpus } from "../test/reliability/fuzz-corpus.js";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "3000" },
    "request-kb": { type: "string", default: "900" },
    junk: { type: "string", default: "300000" },
    "budget-mib": { type: "string" },
    // The agent's V8 old space, as a container's memory limit sets it (Node sizes the heap
    // from the memory it is given); 0 leaves V8's default for this machine.
    "agent-heap-mib": { type: "string", default: "192" },
    seed: { type: "string", default: "12" },
  },
});
const MB = 1_000_000;
const MiB = 1024 * 1024;
const requests = Number(values.requests);
const requestBytes = Number(values["request-kb"]) * 1000;
const junk = Number(values.junk);
const JUNK_PAYLOAD_LIMIT = 65_536;

/** Resident and peak resident memory of a process, in bytes. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}

function startAgent(url: string, maxPayloadBytes: number): Promise<ChildProcess> {
  const heap = Number(values["agent-heap-mib"]);
  const flags = [...(heap > 0 ? [`--max-old-space-size=${heap}`] : []), ...(process.env.FLOOD_GC === undefined ? [] : ["--expose-gc"])];
  const args = [...flags, "scripts/memory-flood-agent.mjs", url, String(maxPayloadBytes)];
  if (values["budget-mib"] !== undefined) args.push(String(Number(values["budget-mib"]) * MiB));
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the agent exited (code ${code}) before it was ready`)));
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve(child);
    });
  });
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
const broker = await startAedes({ persistence: false });
const sender = new MqttTransport({ url: broker.url, clientId: "flooder", clean: true });
await sender.connect();
const inbox = "replies/flooder/inbox";
const replies = new Map<string, { error?: number; state?: string }>();
await sender.subscribe(inbox, (message) => {
  const decoded = decodeReply(message);
  if (!decoded.ok || typeof decoded.reply.id !== "string") return;
  const task = (decoded.reply.result as { task?: { status?: { state?: string } } } | undefined)?.task;
  replies.set(decoded.reply.id, { ...(decoded.reply.error ? { error: decoded.reply.error.code } : {}), ...(task?.status?.state ? { state: task.status.state } : {}) });
});
const tasksTopic = "flood/target/tasks";
const request = (id: string, text: string) =>
  JSON.stringify({
    jsonrpc: "2.0",
    id,
    method: "SendMessage",
    params: { message: { messageId: id, role: "ROLE_USER", parts: [{ text }] } },
    replyTo: inbox,
    serviceParams: { "A2A-Version": "1.0" },
  });

/** Publishes with at most `window` unacknowledged at once. */
async function publishAll(count: number, make: (i: number) => { payload: string | Uint8Array; properties?: object }, onEach?: (i: number) => void) {
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < count; i++) {
    const { payload, properties } = make(i);
    const sent = sender.publish(tasksTopic, payload, { qos: 1, ...(properties ? { properties } : {}) }).catch(() => undefined);
    const tracked = sent.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= 64) await Promise.race(inFlight);
    onEach?.(i);
  }
  await Promise.all(inFlight);
}

async function afterwards(label: string): Promise<number> {
  const ids = Array.from({ length: 20 }, (_, i) => `after-${label}-${i}`);
  for (const id of ids) await sender.publish(tasksTopic, request(id, "still there?"), { qos: 1 });
  await waitFor(() => ids.every((id) => replies.get(id)?.state === "TASK_STATE_COMPLETED"), { timeoutMs: 60_000, message: "the requests after the flood" }).catch(
    () => undefined,
  );
  return ids.filter((id) => replies.get(id)?.state === "TASK_STATE_COMPLETED").length;
}

let failed = false;
try {
  // ---- 1. large valid requests ----
  let agent = await startAgent(broker.url, 1024 * 1024);
  const base = memoryOf(agent.pid!);
  console.log(`memory-flood: agent old space ${Number(values["agent-heap-mib"]) || "V8 default"} MiB, memory budget ${values["budget-mib"] ?? "default"}`);
  console.log(`memory-flood: ${requests} requests of ${requestBytes / 1000} KB; agent pid ${agent.pid}, RSS ${mb(base.rss)} at rest`);
  const text = "x".repeat(requestBytes);
  let maxRss = base.rss;
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, memoryOf(agent.pid!).rss)), 100);
  const started = Date.now();
  await publishAll(requests, (i) => ({ payload: request(`big-${i}`, text) }), (i) => {
    if ((i + 1) % 500 === 0) console.log(`  ${i + 1} sent, ${replies.size} answered, RSS ${mb(memoryOf(agent.pid!).rss)}`);
  });
  await waitFor(() => [...replies.keys()].filter((k) => k.startsWith("big-")).length >= requests, { timeoutMs: 120_000, message: "replies" }).catch(() => undefined);
  clearInterval(sampler);
  const alive = agent.exitCode === null;
  const answeredAfter = alive ? await afterwards("big") : 0;
  const peak = memoryOf(agent.pid!).peak;
  const big = [...replies].filter(([k]) => k.startsWith("big-")).map(([, v]) => v);
  const completed = big.filter((r) => r.state === "TASK_STATE_COMPLETED").length;
  const atCapacity = big.filter((r) => r.error === -32603).length;
  console.log(
    `large requests: ${big.length}/${requests} answered (${completed} completed, ${atCapacity} at capacity) in ${((Date.now() - started) / 1000).toFixed(0)} s; ` +
      `agent ${alive ? "alive" : "DEAD"}; peak RSS ${mb(peak)} (bound 512 MB); ${answeredAfter}/20 answered after the flood`,
  );
  if (!alive || peak >= 512 * MB || answeredAfter < 20) failed = true;
  agent.kill("SIGTERM");
  await new Promise((resolve) => agent.once("exit", resolve));

  // ---- 2. junk ----
  agent = await startAgent(broker.url, JUNK_PAYLOAD_LIMIT);
  const corpus = new FuzzCorpus({ seed: Number(values.seed), garbageTopic: "replies/flooder/garbage", validTopic: inbox, maxPayloadBytes: JUNK_PAYLOAD_LIMIT, mqtt5: false });
  const samples: number[] = [];
  console.log(`memory-flood: ${junk} junk messages (fuzz corpus, seed ${values.seed}); RSS ${mb(memoryOf(agent.pid!).rss)} at rest`);
  await publishAll(junk, () => corpus.next(), (i) => {
    if ((i + 1) % 20_000 === 0) {
      const { rss } = memoryOf(agent.pid!);
      samples.push(rss);
      console.log(`  ${i + 1} sent, RSS ${mb(rss)}`);
    }
  });
  const junkAlive = agent.exitCode === null;
  const junkAfter = junkAlive ? await afterwards("junk") : 0;
  // The plateau: the highest RSS over the second half of the run.
  const plateau = Math.max(...samples.slice(Math.floor(samples.length / 2)));
  const junkPeak = memoryOf(agent.pid!).peak;
  console.log(`junk: plateau RSS ${mb(plateau)} (bound 250 MB), peak ${mb(junkPeak)}; agent ${junkAlive ? "alive" : "DEAD"}; ${junkAfter}/20 answered after`);
  if (!junkAlive || plateau >= 250 * MB || junkAfter < 20) failed = true;
  agent.kill("SIGTERM");
  await new Promise((resolve) => agent.once("exit", resolve));
} finally {
  await sender.close();
  await broker.close();
}
console.log(failed ? "memory-flood: FAILED" : "memory-flood: every bound met");
process.exit(failed ? 1 : 0);
