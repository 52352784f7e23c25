import { appendFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Task } from "@a2a/schema";
import { FileTaskStore } from "@a2a/agent";

const dirs: string[] = [];
const stores: FileTaskStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "a2a-file-store-"));
  dirs.push(dir);
  return dir;
}

async function openStore(options: Parameters<typeof FileTaskStore.open>[0]): Promise<FileTaskStore> {
  const store = await FileTaskStore.open(options);
  stores.push(store);
  return store;
}

async function reopen(store: FileTaskStore, options: Parameters<typeof FileTaskStore.open>[0]): Promise<FileTaskStore> {
  await store.close();
  stores.splice(stores.indexOf(store), 1);
  return openStore(options);
}

let clock = Date.parse("2026-01-01T00:00:00Z");
function task(id: string, state: Task["status"]["state"] = "TASK_STATE_COMPLETED", contextId = "c1"): Task {
  clock += 1000;
  return { id, contextId, status: { state, timestamp: new Date(clock).toISOString() }, history: [{ messageId: `m-${id}`, role: "ROLE_USER", parts: [{ text: id }] }] };
}

describe("FileTaskStore", () => {
  it("keeps the state of each task as last saved across close and open", async () => {
    const dir = await tempDir();
    let store = await openStore({ dir });
    const t1 = task("t1", "TASK_STATE_WORKING");
    await store.save(t1);
    t1.status = { state: "TASK_STATE_COMPLETED", timestamp: new Date(++clock).toISOString() };
    t1.artifacts = [{ artifactId: "a", parts: [{ data: { stock: 500 } }] }];
    await store.save(t1);
    // Changed after the last save: not persisted.
    t1.metadata = { unsaved: true };
    await store.save(task("t2", "TASK_STATE_FAILED", "c2"));
    await store.delete("t2");
    await store.save(task("t3"));
    store = await reopen(store, { dir });
    expect(store.size).toBe(2);
    const loaded = await store.get("t1");
    expect(loaded?.status.state).toBe("TASK_STATE_COMPLETED");
    expect(loaded?.artifacts).toEqual([{ artifactId: "a", parts: [{ data: { stock: 500 } }] }]);
    expect(loaded?.metadata).toBeUndefined();
    expect(await store.get("t2")).toBeUndefined();
    expect((await store.list({})).map((t) => t.id)).toEqual(["t3", "t1"]);
    expect((await store.list({ contextId: "c1", state: "TASK_STATE_COMPLETED" })).map((t) => t.id)).toEqual(["t3", "t1"]);
  });

  it("folds its log into a snapshot and leaves only the current files", async () => {
    const dir = await tempDir();
    let store = await openStore({ dir, compactAfterRecords: 5 });
    for (let i = 0; i < 40; i++) await store.save(task(`t${i % 8}`));
    const files = (await readdir(dir)).sort();
    expect(files.filter((f) => f.startsWith("log-"))).toHaveLength(1);
    expect(files).toContain("snapshot.jsonl");
    expect(files.some((f) => f.endsWith(".tmp"))).toBe(false);
    store = await reopen(store, { dir });
    expect(store.size).toBe(8);
  });

  it("skips a record cut short by a crash and reports damage in the middle", async () => {
    const dir = await tempDir();
    const errors: unknown[] = [];
    let store = await openStore({ dir });
    await store.save(task("ok-1"));
    await store.close();
    stores.splice(0);
    const log = (await readdir(dir)).find((f) => f.startsWith("log-"))!;
    await appendFile(join(dir, log), '{"t":{"id":"half","sta');
    store = await openStore({ dir, onError: (e) => errors.push(e) });
    expect(store.size).toBe(1);
    expect(errors).toEqual([]);
    // Later writes after the recovered open land on clean lines.
    await store.save(task("ok-2"));
    await store.close();
    stores.splice(0);
    const log2 = (await readdir(dir)).find((f) => f.startsWith("log-"))!;
    await appendFile(join(dir, log2), 'garbage\n{"t":' + JSON.stringify(task("ok-3")) + ',"u":1}\n');
    store = await openStore({ dir, onError: (e) => errors.push(e), terminalTtlMs: Number.MAX_SAFE_INTEGER });
    expect((await store.list({})).map((t) => t.id).sort()).toEqual(["ok-1", "ok-2", "ok-3"]);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain("damaged record");
  });

  it("applies the same retention as the in-memory store, across reopen", async () => {
    const dir = await tempDir();
    let now = 1_000_000;
    let store = await openStore({ dir, maxTasks: 3, terminalTtlMs: 10_000, now: () => now });
    await store.save(task("running", "TASK_STATE_WORKING"));
    for (const id of ["a", "b", "c", "d"]) await store.save(task(id));
    expect((await store.list({})).map((t) => t.id).sort()).toEqual(["c", "d", "running"]);
    store = await reopen(store, { dir, maxTasks: 3, terminalTtlMs: 10_000, now: () => now });
    expect((await store.list({})).map((t) => t.id).sort()).toEqual(["c", "d", "running"]);
    now += 10_000;
    store = await reopen(store, { dir, maxTasks: 3, terminalTtlMs: 10_000, now: () => now });
    expect((await store.list({})).map((t) => t.id)).toEqual(["running"]);
  });

  it("refuses a second open of the same directory until the first is closed", async () => {
    const dir = await tempDir();
    const store = await openStore({ dir });
    await expect(FileTaskStore.open({ dir })).rejects.toThrow(/already open/);
    await store.close();
    stores.splice(0);
    await openStore({ dir });
  });
});
