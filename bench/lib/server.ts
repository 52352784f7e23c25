import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ServerControl, type ServerModule } from "./server-control.js";

/**
 * Where the server half of a contender runs. `inline`: in the harness process,
 * next to the client and the broker, which measures what each stack costs
 * without the scheduler's cross-process wake-ups. `process`: in a child process
 * of its own, as deployed; the scale workloads use it to read the agent's memory.
 */
export type Layout = "inline" | "process";

/** A running server (broker, responder, agent, HTTP server). */
export interface ServerHandle {
  readonly name: string;
  readonly layout: Layout;
  readonly pid: number;
  /** What the server reported when it became ready (ports, ids). */
  readonly info: Record<string, unknown>;
  /** Runs a command registered on the server's `ServerControl`. */
  call<T = unknown>(cmd: string, args?: unknown, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export async function startServer(entry: string, env: Record<string, string>, layout: Layout): Promise<ServerHandle> {
  return layout === "inline" ? startInline(entry, env) : startChild(entry, env);
}

async function startInline(entry: string, env: Record<string, string>): Promise<ServerHandle> {
  const mod = (await import(`../servers/${entry}.js`)) as ServerModule;
  const control = new ServerControl();
  const started = await mod.start(env, control);
  return {
    name: entry,
    layout: "inline",
    pid: process.pid,
    info: started.info,
    call: async <T>(cmd: string, args?: unknown) => (await control.dispatch(cmd, args)) as T,
    stop: () => started.stop(),
  };
}

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

async function startChild(entry: string, env: Record<string, string>, readyTimeoutMs = 30_000): Promise<ServerHandle> {
  const main = fileURLToPath(new URL("../servers/child-main.ts", import.meta.url));
  // The child inherits this process's loader flags (tsx for the harness's own files).
  const child: ChildProcess = fork(main, [], {
    execArgv: [...process.execArgv.filter((a) => a !== "--expose-gc"), "--expose-gc"],
    env: { ...process.env, ...env, BENCH_SERVER: entry },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry}: not ready after ${readyTimeoutMs} ms`)), readyTimeoutMs);
    child.once("exit", (code, signal) => {
      exited = true;
      clearTimeout(timer);
      const why = new Error(`${entry} exited (${signal ?? `code ${code}`})`);
      reject(why);
      for (const p of pending.values()) p.reject(why);
      pending.clear();
    });
    child.on("message", (raw) => {
      const msg = raw as { ready?: Record<string, unknown>; failed?: string } & Partial<Reply>;
      if (msg.ready) {
        clearTimeout(timer);
        resolve(msg.ready);
      } else if (msg.failed !== undefined) {
        clearTimeout(timer);
        reject(new Error(`${entry} failed to start: ${msg.failed}`));
      } else if (typeof msg.id === "number") {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (!p) return;
        if (msg.ok) p.resolve(msg.value);
        else p.reject(new Error(`${entry}: ${msg.error}`));
      }
    });
  }).catch((error: unknown) => {
    if (!exited) child.kill("SIGKILL");
    throw error;
  });

  return {
    name: entry,
    layout: "process",
    pid: child.pid ?? -1,
    info,
    call<T>(cmd: string, args?: unknown, timeoutMs = 120_000): Promise<T> {
      if (exited) return Promise.reject(new Error(`${entry} has exited`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${entry}: '${cmd}' got no answer in ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        child.send({ id, cmd, args });
      });
    },
    async stop(): Promise<void> {
      if (exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}
