// Drives the installed `a2a` command the way a user types it: `a2a broker`, then an
// agent, then `a2a agents` and `a2a send`. Exits 1 when an output or exit code is wrong.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { A2AAgent } from "@a2a/agent";

const run = promisify(execFile);
/** The `a2a` that npm linked into node_modules/.bin, as `npx a2a` finds it. */
function findBin(dir = process.cwd()) {
  const bin = join(dir, "node_modules/.bin/a2a");
  if (existsSync(bin)) return bin;
  if (dirname(dir) === dir) throw new Error("a2a is not installed here: npm install the @a2a/cli tarball first");
  return findBin(dirname(dir));
}
const a2a = findBin();

const help = await run(a2a, ["--help"]);
assert.match(help.stdout, /^Usage: a2a /);

const typo = await run(a2a, ["agnets"]).catch((error) => error);
assert.equal(typo.code, 2, "a mistyped command is bad usage");
assert.match(typo.stderr, /Did you mean agents\?/);

const broker = spawn(a2a, ["broker", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
let out = "";
broker.stdout.on("data", (chunk) => (out += chunk));
const url = await new Promise((resolve, reject) => {
  broker.stdout.on("data", () => /mqtt:\/\/\S+/.test(out) && resolve(/mqtt:\/\/\S+/.exec(out)[0]));
  broker.once("exit", (code) => reject(new Error(`a2a broker exited with ${code}`)));
});

const agent = new A2AAgent({ orgId: "my-org", agentId: "agent-001", name: "Echo Agent", description: "Echoes messages", broker: url });
agent.registerTool(function echo(params) {
  return `Echo: ${params.message}`;
});
await agent.start();
try {
  const agents = await run(a2a, ["agents", "--broker", url]);
  assert.match(agents.stdout, /my-org\/agent-001\s+online\s+Echo Agent\s+echo/);
  const sent = await run(a2a, ["send", "my-org/agent-001", "--text", "hello", "--broker", url]);
  assert.equal(sent.stdout, "Echo: hello\n");
  const unknown = await run(a2a, ["send", "my-org/agent-01", "--text", "hi", "--broker", url]).catch((error) => error);
  assert.equal(unknown.code, 4);
  assert.match(unknown.stderr, /Did you mean: my-org\/agent-001\?/);
  console.log(`a2a broker on ${url}; a2a agents and a2a send answered as expected`);
} finally {
  await agent.stop();
  broker.kill("SIGINT");
  const [code] = await once(broker, "exit");
  assert.equal(code, 0, "a2a broker stops cleanly on SIGINT");
}
