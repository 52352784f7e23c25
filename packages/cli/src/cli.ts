#!/usr/bin/env node
import { main } from "./main.js";

// The first SIGINT/SIGTERM asks the running command to finish cleanly (a broker
// disconnects everyone, a watch ends); a second one exits at once.
const controller = new AbortController();
let signals = 0;
const onSignal = (name: NodeJS.Signals) => {
  signals++;
  if (signals > 1) process.exit(130);
  controller.abort(new Error(`${name} received`));
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }, controller.signal);
// Nothing should keep the process alive now; a lingering socket must not hang a script.
setTimeout(() => process.exit(), 2_000).unref();
