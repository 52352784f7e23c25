/**
 * Commands a benchmark server (broker, responder, agent, HTTP server) answers for
 * the harness, whether it runs in the harness process or in a child process.
 */
import { startProfiling, type Profiling } from "./profiler.js";

export type Handler = (args: unknown) => unknown;

/** What a server module exports: `start` brings it up and reports what clients need. */
export interface ServerModule {
  start(env: Record<string, string>, control: ServerControl): Promise<StartedServer>;
}

export interface StartedServer {
  /** Ports, topics, ids the client side needs. */
  info: Record<string, unknown>;
  stop(): Promise<void>;
}

let peakRss = 0;
let sampler: NodeJS.Timeout | undefined;

function sample(): void {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
}

/** Full collection (processes run with --expose-gc), then heap in use. */
export function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc (pnpm bench does)");
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

export class ServerControl {
  private readonly handlers = new Map<string, Handler>();

  constructor() {
    this.handle("memory", () => {
      sample();
      // The peak is read: sampling stops until the next resetPeak (reading RSS costs
      // a system call, which the round trips should not pay).
      clearInterval(sampler);
      sampler = undefined;
      const m = process.memoryUsage();
      return { rss: m.rss, peakRss, heapUsed: m.heapUsed };
    });
    this.handle("resetPeak", () => {
      peakRss = 0;
      sample();
      // 20 ms is fine-grained enough to catch the peak of a burst of 10,000 tasks.
      sampler ??= setInterval(sample, 20).unref();
      return peakRss;
    });
    this.handle("gcHeap", () => heapAfterGc());
    this.handle("cpuUsage", () => process.cpuUsage());
    // bench/profile.ts: profiles of a server in a process of its own.
    let profiling: Promise<Profiling> | undefined;
    this.handle("profileStart", () => {
      profiling = startProfiling();
      return profiling.then(() => true);
    });
    this.handle("profileStop", async (prefix) => {
      if (!profiling) throw new Error("profileStart was not called");
      const files = await (await profiling).stop(String(prefix));
      profiling = undefined;
      return files;
    });
  }

  handle(cmd: string, handler: Handler): void {
    this.handlers.set(cmd, handler);
  }

  async dispatch(cmd: string, args: unknown): Promise<unknown> {
    const handler = this.handlers.get(cmd);
    if (!handler) throw new Error(`unknown command '${cmd}'`);
    return handler(args);
  }
}

export function requireEnv(env: Record<string, string>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`setting ${name} is required`);
  return value;
}
