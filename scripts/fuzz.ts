/**
 * Fuzzes an agent's tasks topic: 100,000 hostile messages (random bytes, truncated and
 * oversize JSON, deep nesting, wrong types, huge strings, 0.3/1.0 mixes, hostile ids)
 * with well-formed tasks in between, against an embedded aedes broker (MQTT 3.1.1) or
 * a spawned mosquitto (MQTT 5, reply topics also as properties).
 *
 *   npx tsx --conditions=@a2a/source scripts/fuzz.ts [--messages N] [--seed S] [--broker aedes|mosquitto]
 *
 * Exits 1 when an answerable message got no JSON-RPC error, a well-formed task did not
 * complete, or the heap grew beyond the bound. The seed is printed; pass it back to
 * reproduce a failure.
 */
import { parseArgs } from "node:util";
import { startAedes, startMosquitto } from "@a2a/testing";
import { runFuzz, type FuzzStats } from "../test/reliability/fuzz-run.js";
import { MiB } from "../test/reliability/heap.js";

const { values } = parseArgs({
  options: {
    messages: { type: "string", default: "100000" },
    seed: { type: "string" },
    broker: { type: "string", default: "aedes" },
    "max-heap-growth-mib": { type: "string", default: "64" },
  },
});
const messages = Number(values.messages);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const mqtt5 = values.broker === "mosquitto";
const bound = Number(values["max-heap-growth-mib"]) * MiB;
console.log(`fuzz: seed ${seed}, ${messages} messages, ${values.broker} (${mqtt5 ? "MQTT 5" : "MQTT 3.1.1"})`);

const broker = mqtt5 ? await startMosquitto({ extraConfig: "max_queued_messages 1000000" }) : await startAedes();
const started = Date.now();
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
let stats: FuzzStats;
try {
  stats = await runFuzz({
    url: broker.url,
    messages,
    seed,
    mqtt5,
    drainTimeoutMs: 120_000,
    onProgress: (s) =>
      console.log(
        `  ${s.sent} sent, ${s.answerable} answerable, ${s.garbageReplies} error replies, ${s.validCompleted}/${s.validSent} tasks completed, heap ${mib(s.heap.at(-1)!)}`,
      ),
  });
} finally {
  await broker.close();
}

const growth = stats.heap.at(-1)! - stats.heap[0]!;
const problems: string[] = [];
if (stats.garbageReplies !== stats.answerable) problems.push(`${stats.garbageReplies} replies to ${stats.answerable} answerable messages`);
if (stats.garbageErrors !== stats.garbageReplies) problems.push(`${stats.garbageReplies - stats.garbageErrors} replies were not errors: ${stats.answeredWithResult.join(", ")}`);
if (stats.unanswered.length > 0) problems.push(`unanswered: ${stats.unanswered.join(", ")}`);
if (stats.validCompleted !== stats.validSent) problems.push(`${stats.validCompleted} of ${stats.validSent} well-formed tasks completed`);
if (growth > bound) problems.push(`heap grew by ${mib(growth)} (bound ${mib(bound)})`);

console.log(`fuzz: ${stats.sent} messages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`  kinds: ${Object.entries(stats.kinds).sort().map(([k, n]) => `${k} ${n}`).join(", ")}`);
console.log(`  answerable ${stats.answerable}, error replies ${stats.garbageErrors}, tasks ${stats.validCompleted}/${stats.validSent}, agent-reported failures ${stats.agentErrors}`);
console.log(`  heap ${mib(stats.heap[0]!)} -> ${mib(stats.heap.at(-1)!)} (growth ${mib(growth)}, bound ${mib(bound)})`);
if (problems.length > 0) {
  console.error(`fuzz FAILED (seed ${seed}):\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`fuzz passed (seed ${seed})`);
process.exit(0);
