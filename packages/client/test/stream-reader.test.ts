import { describe, expect, it } from "vitest";
import { StreamReader } from "../src/stream-reader.js";
import { A2AClientError } from "../src/errors.js";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

describe("StreamReader", () => {
  it("delivers frames in seq order whatever the arrival order, and ends on final", async () => {
    const reader = new StreamReader<string>();
    reader.push("c", { seq: 2 });
    reader.push("a", { seq: 0 });
    reader.push("d", { seq: 3, final: true });
    reader.push("b", { seq: 1 });
    expect(await collect(reader)).toEqual(["a", "b", "c", "d"]);
  });

  it("drops duplicates and anything after the final frame", async () => {
    const reader = new StreamReader<string>();
    reader.push("a", { seq: 0 });
    reader.push("a-again", { seq: 0 });
    reader.push("b", { seq: 1, final: true });
    reader.push("b-again", { seq: 1 });
    reader.push("late", { seq: 2 });
    expect(await collect(reader)).toEqual(["a", "b"]);
  });

  it("waits for a gap to fill before ending", async () => {
    let ended = false;
    const reader = new StreamReader<string>({ onEnd: () => (ended = true) });
    reader.push("b", { seq: 1, final: true });
    expect(ended).toBe(false);
    const all = collect(reader);
    reader.push("a", { seq: 0 });
    expect(await all).toEqual(["a", "b"]);
    expect(ended).toBe(true);
  });

  it("takes frames without seq in arrival order", async () => {
    const reader = new StreamReader<number>();
    reader.push(1);
    reader.push(2);
    reader.push(3, { final: true });
    expect(await collect(reader)).toEqual([1, 2, 3]);
  });

  it("hands values already in order to the consumer before the error", async () => {
    const reader = new StreamReader<string>();
    reader.push("a", { seq: 0 });
    reader.fail(new Error("boom"));
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const v of reader) seen.push(v);
      })(),
    ).rejects.toThrow("boom");
    expect(seen).toEqual(["a"]);
  });

  it("wakes a waiting consumer", async () => {
    const reader = new StreamReader<string>();
    const it = reader[Symbol.asyncIterator]();
    const first = it.next();
    reader.push("a", { seq: 0 });
    expect(await first).toEqual({ value: "a", done: false });
    const second = it.next();
    reader.push("b", { seq: 1, final: true });
    expect(await second).toEqual({ value: "b", done: false });
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it("fails with INVALID_RESPONSE when more frames pile up than allowed", async () => {
    const reader = new StreamReader<number>({ maxBuffered: 3 });
    for (let i = 1; i <= 5; i++) reader.push(i, { seq: i }); // seq 0 never comes
    await expect(collect(reader)).rejects.toSatisfy(
      (e) => e instanceof A2AClientError && e.code === "INVALID_RESPONSE",
    );
  });

  it("ends when the consumer leaves the loop early", async () => {
    let ended = false;
    const reader = new StreamReader<number>({ onEnd: () => (ended = true) });
    reader.push(0, { seq: 0 });
    reader.push(1, { seq: 1 });
    for await (const v of reader) {
      expect(v).toBe(0);
      break;
    }
    expect(ended).toBe(true);
    expect(reader.settled).toBe(true);
  });

  it("can be iterated once only", () => {
    const reader = new StreamReader<number>();
    reader[Symbol.asyncIterator]();
    expect(() => reader[Symbol.asyncIterator]()).toThrow(/only once/);
  });
});
