import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A server process of the benchmark (broker, responder, agent, HTTP server). */
export interface ChildHandle {
  readonly name: string;
  readonly pid: number;
  /** What the child reported when it became ready (ports, ids). */
  readonly info: Record<string, unknown>;
  /** Runs a command registered with `serveIpc` in the child. */
  call<T = unknown>(cmd: string, args?: unknown, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/**
 * Forks `bench/servers/<entry>.ts` with this process's loader flags (tsx, the
 * `@a2a/source` condition) plus `extraArgv`, and waits for its ready message.
 */
export async function startChild(
  entry: string,
  env: Record<string, string> = {},
  options: { extraArgv?: string[]; readyTimeoutMs?: number } = {},
): Promise<ChildHandle> {
  const file = fileURLToPath(new URL(`../servers/${entry}.ts`, import.meta.url));
  const child: ChildProcess = fork(file, [], {
    execArgv: [...process.execArgv.filter((a) => a !== "--expose-gc"), "--expose-gc", ...(options.extraArgv ?? [])],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${entry}: not ready after ${options.readyTimeoutMs ?? 30_000} ms`)),
      options.readyTimeoutMs ?? 30_000,
    );
    child.once("exit", (code) => {
      exited = true;
      clearTimeout(timer);
      reject(new Error(`${entry} exited with code ${code} before it was ready`));
      for (const p of pending.values()) p.reject(new Error(`${entry} exited (code ${code})`));
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
      if (exited || child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}
