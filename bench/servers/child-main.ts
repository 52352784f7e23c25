/** Entry of a forked server process: starts the module named by BENCH_SERVER, answers IPC. */
import { ServerControl, type ServerModule } from "../lib/server-control.js";

async function main(): Promise<void> {
  if (!process.send) throw new Error("bench servers run as child processes of bench/run.ts");
  const name = process.env.BENCH_SERVER ?? "";
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`bad BENCH_SERVER '${name}'`);
  const control = new ServerControl();
  process.on("message", (raw) => {
    const { id, cmd, args } = raw as { id: number; cmd: string; args: unknown };
    control.dispatch(cmd, args).then(
      (value) => process.send?.({ id, ok: true, value }),
      (error: unknown) => process.send?.({ id, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  });
  let stop: (() => Promise<void>) | undefined;
  // Stops the server cleanly (an agent clears its retained card), then exits.
  const shutdown = (): void => {
    const timer = setTimeout(() => process.exit(0), 5_000);
    void (stop?.() ?? Promise.resolve()).catch(() => undefined).finally(() => {
      clearTimeout(timer);
      process.exit(0);
    });
  };
  process.on("disconnect", shutdown);
  process.on("SIGTERM", shutdown);
  const mod = (await import(`./${name}.js`)) as ServerModule;
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  const started = await mod.start(env, control);
  stop = () => started.stop();
  process.send({ ready: started.info });
}

main().catch((error: unknown) => {
  process.send?.({ failed: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  setTimeout(() => process.exit(1), 100);
});
