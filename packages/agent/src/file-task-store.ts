import { mkdir, open, readdir, readFile, rename, unlink, type FileHandle } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Task } from "@a2a/schema";
import { InMemoryTaskStore } from "./in-memory-task-store.js";
import type { TaskFilter, TaskStore } from "./task-store.js";
import type { MemoryBudget } from "./memory-budget.js";
import type { StoredPushConfig } from "./push/push-config-store.js";
import { consoleLogger } from "@a2a/transport";

const defaultLogger = consoleLogger();

export interface FileTaskStoreOptions {
  /** Directory of the store (created if missing); one store per directory. */
  dir: string;
  /** Most tasks kept; beyond, the oldest terminal tasks are evicted first. @default 10000 */
  maxTasks?: number;
  /** Milliseconds a terminal task is kept after its last change. @default 3600000 (one hour) */
  terminalTtlMs?: number;
  /**
   * Flush every write to the disk (fdatasync) before `save` resolves. Without it a
   * crash of the process loses nothing, a power cut may lose the last writes.
   * @default false
   */
  syncWrites?: boolean;
  /** Log records written before the log is folded into a new snapshot (at least twice the tasks held). @default 1000 */
  compactAfterRecords?: number;
  /** Damaged records skipped on open, and write failures. @default logs to stderr */
  onError?: (error: unknown) => void;
  /** @default Date.now */
  now?: () => number;
}

type LogRecord = { t: Task; u: number } | { d: string } | { p: string; c: StoredPushConfig[] };

const SNAPSHOT = "snapshot.jsonl";
/** Directories opened by this process (the lock file guards against other processes). */
const openDirs = new Set<string>();
const LOCK = "lock";
const logName = (gen: number): string => `log-${gen}.jsonl`;

/**
 * A durable {@link TaskStore} in a directory, without native dependencies: every save
 * appends the task as one JSON line to a log; the log is folded into a snapshot
 * (written to a temporary file, flushed, then renamed over the old one) once it grows,
 * and on open. All tasks are also held in memory, in an {@link InMemoryTaskStore} whose
 * retention decides what the log forgets. Open it with {@link FileTaskStore.open}.
 *
 * @example
 * const taskStore = await FileTaskStore.open({ dir: "./data/tasks" });
 * const agent = new A2AAgent({ ...options, taskStore });
 * // after agent.stop(): await taskStore.close();
 */
export class FileTaskStore implements TaskStore {
  readonly #dir: string;
  #locked = false;
  readonly #index: InMemoryTaskStore;
  readonly #sync: boolean;
  readonly #compactAfter: number;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;
  #gen = 0;
  #log: FileHandle | undefined;
  #records = 0;
  #pending: string[] = [];
  #waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  #writing: Promise<void> | undefined;
  #closed = false;
  /** Push notification configs by task id. */
  readonly #push = new Map<string, StoredPushConfig[]>();

  private constructor(options: FileTaskStoreOptions) {
    this.#dir = resolve(options.dir);
    this.#sync = options.syncWrites ?? false;
    this.#compactAfter = Math.max(1, options.compactAfterRecords ?? 1000);
    this.#now = options.now ?? Date.now;
    const retention = { maxTasks: options.maxTasks, terminalTtlMs: options.terminalTtlMs };
    this.#index = new InMemoryTaskStore({ ...retention, now: this.#now, onEvict: (id) => this.#forget(id) });
    this.#onError = options.onError ?? ((error) => defaultLogger.error({ err: error }, "FileTaskStore failed"));
  }

  /** Opens (or creates) the store in `options.dir`, loading its tasks. */
  static async open(options: FileTaskStoreOptions): Promise<FileTaskStore> {
    const store = new FileTaskStore(options);
    try {
      await store.#load();
    } catch (error) {
      await store.#unlock();
      throw error;
    }
    return store;
  }

  get size(): number {
    return this.#index.size;
  }

  get(taskId: string): Promise<Task | undefined> {
    return this.#index.get(taskId);
  }

  async save(task: Task, bytes?: number): Promise<void> {
    if (this.#closed) throw new Error(`FileTaskStore ${this.#dir} is closed; open it again`);
    // Serialised now: the agent keeps changing the same object after save() returns.
    const done = this.#append({ t: task, u: this.#now() });
    // Then into the index, whose retention may append deletes of other tasks after it.
    void this.#index.save(task, bytes);
    return done;
  }

  list(filter: TaskFilter): Promise<Task[]> {
    return this.#index.list(filter);
  }

  /** Counts the tasks (all held in memory too) against `budget`; see {@link TaskStore.useMemoryBudget}. */
  useMemoryBudget(budget: MemoryBudget): void {
    this.#index.useMemoryBudget(budget);
  }

  async delete(taskId: string): Promise<void> {
    const held = this.#index.size;
    await this.#index.delete(taskId);
    this.#push.delete(taskId);
    if (this.#index.size === held || this.#closed) return;
    await this.#append({ d: taskId });
  }

  async savePushConfigs(taskId: string, configs: readonly StoredPushConfig[]): Promise<void> {
    if (this.#closed) throw new Error(`FileTaskStore ${this.#dir} is closed; open it again`);
    if (configs.length === 0 && !this.#push.has(taskId)) return;
    if (configs.length === 0) this.#push.delete(taskId);
    else this.#push.set(taskId, [...configs]);
    await this.#append({ p: taskId, c: [...configs] });
  }

  async loadPushConfigs(): Promise<StoredPushConfig[]> {
    return [...this.#push.values()].flat();
  }

  /** Folds the log into a new snapshot now. */
  async compact(): Promise<void> {
    await this.#enqueue(undefined, true);
  }

  /** Writes what is pending and closes the files; the directory can then be opened again. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#enqueue(undefined, false);
    this.#closed = true;
    await this.#log?.close();
    this.#log = undefined;
    await this.#unlock();
  }

  async #unlock(): Promise<void> {
    if (!this.#locked) return;
    this.#locked = false;
    openDirs.delete(this.#dir);
    await unlink(join(this.#dir, LOCK)).catch(() => {});
  }

  // ---- loading ----

  async #load(): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    await this.#lock();
    const snapshot = await readText(join(this.#dir, SNAPSHOT));
    if (snapshot !== undefined) {
      const lines = snapshot.split("\n");
      const header = parseLine(lines[0] ?? "") as { v?: unknown; gen?: unknown } | undefined;
      if (header === undefined || header.v !== 1 || typeof header.gen !== "number") {
        throw new Error(`${join(this.#dir, SNAPSHOT)} is not a task store snapshot; move it away or choose another dir`);
      }
      this.#gen = header.gen;
      this.#replay(lines.slice(1), SNAPSHOT);
    }
    const log = await readText(join(this.#dir, logName(this.#gen)));
    if (log !== undefined) this.#replay(log.split("\n"), logName(this.#gen));
    this.#index.applyRetention();
    // Configs of tasks no longer held (evicted by retention) are dropped with them.
    for (const taskId of [...this.#push.keys()]) if ((await this.#index.get(taskId)) === undefined) this.#push.delete(taskId);
    // A fresh snapshot and log: also drops a record half-written by a crash.
    await this.#compactNow();
  }

  #replay(lines: string[], file: string): void {
    lines.forEach((line, index) => {
      if (line === "") return;
      const record = parseLine(line) as Partial<{ t: Task; u: number; d: string; p: string; c: StoredPushConfig[] }> | undefined;
      if (record !== undefined && typeof record.d === "string") {
        void this.#index.delete(record.d);
        this.#push.delete(record.d);
      } else if (record !== undefined && typeof record.p === "string" && Array.isArray(record.c)) {
        if (record.c.length === 0) this.#push.delete(record.p);
        else this.#push.set(record.p, record.c);
      } else if (record !== undefined && isTaskLike(record.t) && typeof record.u === "number") {
        this.#index.restore(record.t, record.u);
      } else if (index < lines.length - 1) {
        // The last line of a log may be cut short by a crash; anything else is damage.
        this.#onError(new Error(`${join(this.#dir, file)}: skipped damaged record on line ${index + 1}`));
      }
    });
  }

  /** One store per directory: a lock file holding the owner's pid; a dead owner's lock is taken over. */
  async #lock(): Promise<void> {
    if (openDirs.has(this.#dir)) throw new Error(`The task store in ${this.#dir} is already open in this process; close it first`);
    const path = join(this.#dir, LOCK);
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      this.#claim();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number((await readText(path))?.trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new Error(`The task store in ${this.#dir} is in use by process ${owner}; stop it or choose another dir`);
    }
    const handle = await open(path, "w");
    await handle.writeFile(String(process.pid));
    await handle.close();
    this.#claim();
  }

  #claim(): void {
    this.#locked = true;
    openDirs.add(this.#dir);
  }

  // ---- writing ----

  #append(record: LogRecord): Promise<void> {
    return this.#enqueue(JSON.stringify(record) + "\n", false);
  }

  #enqueue(line: string | undefined, forceCompact: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (line !== undefined) this.#pending.push(line);
      this.#waiters.push({ resolve, reject });
      if (forceCompact) this.#records = Number.POSITIVE_INFINITY;
      if (this.#writing === undefined) this.#writing = this.#drain().finally(() => (this.#writing = undefined));
    });
  }

  async #drain(): Promise<void> {
    while (this.#waiters.length > 0) {
      const lines = this.#pending.splice(0);
      const waiters = this.#waiters.splice(0);
      try {
        if (lines.length > 0) {
          if (this.#log === undefined) throw new Error(`FileTaskStore ${this.#dir} is closed`);
          await this.#log.write(lines.join(""));
          if (this.#sync) await this.#log.datasync();
          this.#records += lines.length;
        }
        if (this.#records >= Math.max(this.#compactAfter, 2 * this.#index.size)) await this.#compactNow();
        for (const w of waiters) w.resolve();
      } catch (error) {
        this.#onError(error);
        for (const w of waiters) w.reject(error);
      }
    }
  }

  /** Writes every task to a new snapshot (atomically replacing the old) and starts a new, empty log. */
  async #compactNow(): Promise<void> {
    const gen = this.#gen + 1;
    const tmp = join(this.#dir, `${SNAPSHOT}.tmp`);
    const out = await open(tmp, "w");
    try {
      let chunk = JSON.stringify({ v: 1, gen }) + "\n";
      for (const { task, updated } of this.#index.bySaveTime()) {
        chunk += JSON.stringify({ t: task, u: updated }) + "\n";
        const configs = this.#push.get(task.id);
        if (configs !== undefined) chunk += JSON.stringify({ p: task.id, c: configs }) + "\n";
        if (chunk.length >= 1 << 20) {
          await out.write(chunk);
          chunk = "";
        }
      }
      await out.write(chunk);
      await out.sync();
    } finally {
      await out.close();
    }
    const nextLog = await open(join(this.#dir, logName(gen)), "w");
    await rename(tmp, join(this.#dir, SNAPSHOT));
    await syncDir(this.#dir);
    const previous = this.#log;
    this.#log = nextLog;
    this.#gen = gen;
    this.#records = 0;
    await previous?.close();
    // Logs of earlier generations are no longer read.
    for (const name of await readdir(this.#dir)) {
      if (/^log-\d+\.jsonl$/.test(name) && name !== logName(gen)) await unlink(join(this.#dir, name)).catch(() => {});
    }
  }

  // ---- retention (decided by the index) ----

  /** Logs that the index dropped a task. Nothing is logged while loading. */
  #forget(id: string): void {
    this.#push.delete(id);
    if (this.#log !== undefined && !this.#closed) void this.#append({ d: id }).catch(() => {});
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

function isTaskLike(value: unknown): value is Task {
  if (typeof value !== "object" || value === null) return false;
  const task = value as { id?: unknown; status?: { state?: unknown } };
  return typeof task.id === "string" && typeof task.status === "object" && task.status !== null && typeof task.status.state === "string";
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Makes a rename durable; not supported everywhere (e.g. Windows), hence best effort. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}
