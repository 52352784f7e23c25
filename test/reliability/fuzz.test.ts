import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireMosquitto, startAedes, startMosquitto, type AedesHandle, type MosquittoHandle } from "@a2a/testing";
import { runFuzz } from "./fuzz-run.js";
import { MiB } from "./heap.js";

// A fixed seed in CI so that a failure reproduces; FUZZ_SEED overrides it.
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_601);
const MESSAGES = 3_000;

function check(stats: Awaited<ReturnType<typeof runFuzz>>): void {
  console.log(`fuzz seed ${stats.seed}: ${JSON.stringify({ ...stats, kinds: undefined, heap: stats.heap.map((h) => Math.round(h / MiB)) })}`);
  expect(stats.unanswered).toEqual([]);
  expect(stats.answeredWithResult).toEqual([]);
  expect(stats.garbageReplies).toBe(stats.answerable);
  expect(stats.garbageErrors).toBe(stats.answerable);
  expect(stats.validCompleted).toBe(stats.validSent);
  expect(stats.validSent).toBeGreaterThan(0);
  // Flat memory: after the hostile traffic the heap is within a bound of where it began.
  const growth = stats.heap.at(-1)! - stats.heap[0]!;
  expect(growth).toBeLessThan(48 * MiB);
}

describe(`fuzzing the tasks topic (seed ${SEED})`, () => {
  describe("aedes, MQTT 3.1.1", () => {
    let aedes: AedesHandle;
    beforeAll(async () => {
      aedes = await startAedes();
    });
    afterAll(async () => {
      await aedes?.close();
    });
    it(`the agent answers every answerable message of ${MESSAGES} with an error and completes the real tasks`, async () => {
      check(await runFuzz({ url: aedes.url, messages: MESSAGES, seed: SEED, mqtt5: false }));
    }, 90_000);
  });

  describe.runIf(requireMosquitto())("mosquitto, MQTT 5 (reply topics also as properties)", () => {
    let mosquitto: MosquittoHandle;
    beforeAll(async () => {
      mosquitto = await startMosquitto({ extraConfig: "max_queued_messages 100000" });
    });
    afterAll(async () => {
      await mosquitto?.close();
    });
    it(`the agent answers every answerable message of ${MESSAGES} with an error and completes the real tasks`, async () => {
      check(await runFuzz({ url: mosquitto.url, messages: MESSAGES, seed: SEED + 1, mqtt5: true }));
    }, 90_000);
  });
});
