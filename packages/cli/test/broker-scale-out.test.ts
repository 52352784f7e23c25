import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { requireRedis, startRedis, type RedisHandle } from "@a2a/testing";
import { buildCli, killAll, runCli, startCli } from "./helpers/run-cli.js";

let dir: string;

beforeAll(async () => {
  await buildCli();
  dir = await mkdtemp(join(tmpdir(), "a2a-cli-scale-"));
}, 120_000);
afterEach(killAll);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.runIf(requireRedis())("a2a broker --redis", () => {
  let redis: RedisHandle;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.close());

  it("runs two nodes of one cluster: an agent on one answers a call made through the other", async () => {
    const nodeA = startCli(["broker", "--port", "0", "--redis", redis.url]);
    const nodeB = startCli(["broker", "--port", "0", "--redis", redis.url]);
    const [[urlA], [urlB]] = await Promise.all([nodeA.waitForStdout(/mqtt:\/\/127\.0\.0\.1:\d+/), nodeB.waitForStdout(/mqtt:\/\/127\.0\.0\.1:\d+/)]);
    const agent = new A2AAgent({ orgId: "test-org", agentId: "hello", name: "Hello", description: "Says hi", broker: urlA, stopGracePeriodMs: 200 });
    agent.registerTool(function hello(params) {
      return `Hello, ${String(params.message)}`;
    });
    await agent.start();
    try {
      const sent = await runCli(["send", "test-org/hello", "--text", "cluster", "--broker", urlB]);
      expect(sent).toEqual({ code: 0, stdout: "Hello, cluster\n", stderr: "" });
    } finally {
      await agent.stop();
    }
  });

  it("refuses --redis together with --data-dir", async () => {
    const result = await runCli(["broker", "--port", "0", "--redis", redis.url, "--data-dir", join(dir, "data")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--redis and --data-dir exclude each other");
  });
});

describe("packet size and bridges on the command line", () => {
  it("writes max_packet_size and the bridges of a site into mosquitto.conf", async () => {
    const users = join(dir, "users.json");
    const added = await runCli(["users", "add", "acme/echo", "--role", "agent", "--file", users], { env: { A2A_USER_PASSWORD: "s" } });
    expect(added.code, added.stderr).toBe(0);
    const bridges = join(dir, "bridges.json");
    await writeFile(
      bridges,
      JSON.stringify({ bridges: [{ name: "site-a", address: "central:1883", direction: "agents-at-edge", scope: ["acme"], username: "bridge.site-a", password: "b" }] }),
    );
    const out = join(dir, "site-a");
    const result = await runCli(["acl", "--format", "mosquitto", "--users", users, "--out", out, "--max-packet-size", "50000", "--bridges", bridges]);
    expect(result.code, result.stderr).toBe(0);
    const conf = await readFile(join(out, "mosquitto.conf"), "utf8");
    expect(conf).toMatch(/^max_packet_size 50000$/m);
    expect(conf).toContain("connection site-a\naddress central:1883\n");
    expect(conf).toContain("topic acme/+/tasks in 1\n");
  });

  it("rejects an invalid --max-packet-size and a bad bridges file, saying why", async () => {
    const badSize = await runCli(["broker", "--port", "0", "--max-packet-size", "lots"]);
    expect(badSize.code).toBe(2);
    expect(badSize.stderr).toContain("--max-packet-size must be a whole number");
    const bridges = join(dir, "bad-bridges.json");
    await writeFile(bridges, JSON.stringify({ bridges: [{ name: "x" }] }));
    const users = join(dir, "users.json");
    const bad = await runCli(["acl", "--format", "mosquitto", "--users", users, "--out", join(dir, "bad"), "--bridges", bridges]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("bridges file");
  });
});
