/**
 * The child side of `startChild`: announces readiness, answers commands from the
 * harness, and samples its own memory so the harness can read the peak RSS.
 */
export type Handler = (args: unknown) => unknown;

const handlers = new Map<string, Handler>();
let peakRss = 0;

function sample(): void {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
}

/** Full collection (the process runs with --expose-gc), then heap in use. */
function collect(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

handlers.set("memory", () => {
  sample();
  const m = process.memoryUsage();
  return { rss: m.rss, peakRss, heapUsed: m.heapUsed };
});
handlers.set("resetPeak", () => {
  peakRss = 0;
  sample();
  return peakRss;
});
handlers.set("gcHeap", () => collect());

export function handle(cmd: string, handler: Handler): void {
  handlers.set(cmd, handler);
}

export function serveIpc(): void {
  if (!process.send) throw new Error("bench servers run as child processes of bench/run.ts");
  // 20 ms is fine-grained enough to catch the peak of a burst of 10,000 tasks.
  setInterval(sample, 20).unref();
  process.on("message", (raw) => {
    const { id, cmd, args } = raw as { id: number; cmd: string; args: unknown };
    const handler = handlers.get(cmd);
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command '${cmd}'`);
        return handler(args);
      })
      .then(
        (value) => process.send?.({ id, ok: true, value }),
        (error: unknown) => process.send?.({ id, ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  process.on("disconnect", () => process.exit(0));
  process.on("SIGTERM", () => process.exit(0));
}

export function ready(info: Record<string, unknown>): void {
  process.send?.({ ready: info });
}

export function failed(error: unknown): void {
  process.send?.({ failed: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  setTimeout(() => process.exit(1), 100);
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}
