import { decodeReply, type DecodedReply } from "@a2a/transport/binding";
import { MqttTransport } from "@a2a/transport/mqtt";
import { A2AAgent } from "@a2a/agent";
import { waitFor } from "@a2a/testing";
import { FuzzCorpus } from "./fuzz-corpus.js";
import { heapUsedAfterGc } from "./heap.js";

export interface FuzzRunOptions {
  url: string;
  messages: number;
  seed: number;
  /** Put reply topics in MQTT 5 properties for some cases (needs an MQTT 5 broker). */
  mqtt5: boolean;
  /** The agent's payload limit. @default 65536 */
  maxPayloadBytes?: number;
  /** Publishes awaiting their acknowledgement at once. @default 256 */
  window?: number;
  /** How long to wait for the last replies. @default 60000 */
  drainTimeoutMs?: number;
  /** Sees each failure the agent reports (they are counted in `agentErrors`). */
  onAgentError?: (error: unknown) => void;
  /** Called every `progressEvery` messages. */
  onProgress?: (stats: FuzzStats) => void;
  /** @default 10000 */
  progressEvery?: number;
}

export interface FuzzStats {
  seed: number;
  sent: number;
  answerable: number;
  /** Replies on the garbage reply topic. */
  garbageReplies: number;
  /** Of those, JSON-RPC errors. */
  garbageErrors: number;
  /** Kinds of garbage answered with a result instead of an error. */
  answeredWithResult: string[];
  /** Kinds (with the id) of answerable garbage that got no reply, up to 20. */
  unanswered: string[];
  validSent: number;
  validCompleted: number;
  /** Heap after a forced collection, sampled at each progress step (bytes). */
  heap: number[];
  /** Failures the agent reported through onError. */
  agentErrors: number;
  /** Messages per kind. */
  kinds: Record<string, number>;
}

/**
 * Starts an agent on `url` and sends it `messages` hostile payloads (plus a share of
 * well-formed tasks) from a seeded corpus; resolves with what came back.
 */
export async function runFuzz(options: FuzzRunOptions): Promise<FuzzStats> {
  const maxPayloadBytes = options.maxPayloadBytes ?? 65_536;
  const stats: FuzzStats = {
    seed: options.seed,
    sent: 0,
    answerable: 0,
    garbageReplies: 0,
    garbageErrors: 0,
    answeredWithResult: [],
    unanswered: [],
    validSent: 0,
    validCompleted: 0,
    heap: [],
    agentErrors: 0,
    kinds: {},
  };
  const suffix = `${options.seed}-${process.pid}`;
  const agent = new A2AAgent({
    orgId: "fuzz",
    agentId: `target-${suffix}`,
    name: "Fuzz target",
    description: "Takes hostile input",
    broker: options.url,
    maxPayloadBytes,
    onError: (error) => {
      stats.agentErrors++;
      options.onAgentError?.(error);
    },
  });
  agent.skill<{ key: string }>({ id: "work", handler: (input) => ({ key: input.key }) });
  await agent.start();

  const fuzzer = new MqttTransport({ url: options.url, clean: true });
  await fuzzer.connect();
  const garbageTopic = `replies/fuzzer-${suffix}/garbage`;
  const validTopic = `replies/fuzzer-${suffix}/valid`;
  const expected = new Map<string, string>();
  const answeredIds = new Set<string>();
  const kindById = new Map<string, string>();
  const completed = new Set<string>();
  await fuzzer.subscribe(garbageTopic, (message) => {
    stats.garbageReplies++;
    const decoded = decodeReply(message);
    const reply: DecodedReply | undefined = decoded.ok ? decoded.reply : undefined;
    if (reply?.error !== undefined) stats.garbageErrors++;
    else if (stats.answeredWithResult.length < 20) stats.answeredWithResult.push(kindById.get(String(reply?.id)) ?? "unknown");
    if (typeof reply?.id === "string") answeredIds.add(reply.id);
    // An unreadable request is answered with id null; MQTT 5 correlation data still names it.
    const correlation = message.properties.correlationData;
    if (correlation !== undefined) answeredIds.add(new TextDecoder().decode(correlation));
  });
  await fuzzer.subscribe(validTopic, (message) => {
    const decoded = decodeReply(message);
    if (!decoded.ok || typeof decoded.reply.id !== "string") return;
    const task = (decoded.reply.result as { task?: { status?: { state?: string } } } | undefined)?.task;
    if (task?.status?.state === "TASK_STATE_COMPLETED") completed.add(decoded.reply.id);
  });

  const corpus = new FuzzCorpus({ seed: options.seed, garbageTopic, validTopic, maxPayloadBytes, mqtt5: options.mqtt5 });
  const window = options.window ?? 256;
  const progressEvery = options.progressEvery ?? 10_000;
  const inFlight = new Set<Promise<unknown>>();
  const idPattern = /^f\d+-\d+$/;
  try {
    stats.heap.push(heapUsedAfterGc());
    for (let i = 0; i < options.messages; i++) {
      const c = corpus.next();
      stats.kinds[c.kind] = (stats.kinds[c.kind] ?? 0) + 1;
      if (c.validId !== undefined) stats.validSent++;
      else if (c.answerable) {
        stats.answerable++;
        const correlation = c.properties?.correlationData;
        const id = correlation !== undefined ? new TextDecoder().decode(correlation) : idOf(c.payload);
        if (id !== undefined && idPattern.test(id)) {
          expected.set(id, c.kind);
          kindById.set(id, c.kind);
        }
      }
      const publish = fuzzer.publish(agent.tasksTopic, c.payload, { qos: 1, ...(c.properties ? { properties: c.properties } : {}) });
      const tracked = publish.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      stats.sent++;
      if (inFlight.size >= window) await Promise.race(inFlight);
      if ((i + 1) % progressEvery === 0) {
        stats.validCompleted = completed.size;
        stats.heap.push(heapUsedAfterGc());
        options.onProgress?.(stats);
      }
    }
    await Promise.all(inFlight);
    await waitFor(() => stats.garbageReplies >= stats.answerable && completed.size >= stats.validSent, {
      timeoutMs: options.drainTimeoutMs ?? 60_000,
      message: "the replies to every answerable message and every well-formed task",
    }).catch(() => undefined);
    stats.validCompleted = completed.size;
    for (const [id, kind] of expected) {
      if (!answeredIds.has(id) && stats.unanswered.length < 20) stats.unanswered.push(`${kind} ${id}`);
    }
    stats.heap.push(heapUsedAfterGc());
    // The agent still serves after all that.
    return stats;
  } finally {
    await fuzzer.close();
    await agent.stop({ gracePeriodMs: 1000 });
  }
}

/** The JSON-RPC id of a payload that is JSON text, if it has a string one. */
function idOf(payload: Uint8Array | string): string | undefined {
  if (typeof payload !== "string") return undefined;
  const match = /^\{"jsonrpc":"2\.0","id":"([^"]*)"/.exec(payload) ?? /"id":"(f\d+-\d+)"/.exec(payload.slice(0, 200));
  return match?.[1];
}
