import { appendFile, chmod, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { A2AClient, textOf } from "@a2a/client";
import { freePort, mosquittoTestConfig, requireMosquitto, spawnMosquitto } from "@a2a/testing";
import { systemUser } from "../src/commands/mosquitto-owner.js";
import { buildCli, killAll, runCli, startCli } from "./helpers/run-cli.js";

let dir: string;

beforeAll(async () => {
  await buildCli();
  dir = await mkdtemp(join(tmpdir(), "a2a-cli-"));
}, 120_000);
afterEach(killAll);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Adds the users of these tests to `file` through the CLI. */
async function addUsers(file: string): Promise<void> {
  const add = (args: string[], password: string) => runCli(["users", "add", ...args, "--file", file], { env: { A2A_USER_PASSWORD: password } });
  for (const [args, password] of [
    [["test-org/echo", "--role", "agent"], "echo-secret"],
    [["alice", "--role", "client"], "alice-secret"],
  ] as const) {
    const result = await add([...args], password);
    expect(result.code, result.stderr).toBe(0);
  }
}

/** The agent `test-org/echo`, logged in as the user `addUsers` adds; not started yet. */
function echoAgent(url: string): A2AAgent {
  const agent = new A2AAgent({
    orgId: "test-org",
    agentId: "echo",
    name: "Echo",
    description: "Echoes",
    broker: url,
    mqtt: { username: "test-org/echo", password: "echo-secret" },
    stopGracePeriodMs: 200,
  });
  agent.registerTool(function echo(params) {
    return `Echo: ${String(params.message)}`;
  });
  return agent;
}

// Each test spawns the CLI several times (scrypt hashing included); on a loaded machine a spawn takes seconds.
describe("a2a users", { timeout: 90_000 }, () => {
  it("adds users with hashed passwords to a private file, lists and removes them", async () => {
    const file = join(dir, "users-crud.json");
    await addUsers(file);
    const planner = await runCli(
      ["users", "add", "acme.planner", "--role", "agent", "--org", "acme", "--agent", "planner", "--can-call", "--user-password", "p", "--file", file],
    );
    expect(planner.code, planner.stderr).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, "utf8")) as { users: Array<Record<string, unknown>> };
    expect(saved.users.map((u) => u.username)).toEqual(["test-org/echo", "alice", "acme.planner"]);
    expect(saved.users[1]?.passwordHash).toMatch(/^scrypt/);
    expect(saved.users[1]?.mosquittoPasswordHash).toMatch(/^\$7\$/);
    expect(JSON.stringify(saved)).not.toContain("alice-secret");

    const twice = await runCli(["users", "add", "alice", "--role", "client", "--file", file]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain("already in");
    const badCall = await runCli(["users", "add", "acme/boss", "--role", "agent", "--can-call", "--file", file]);
    expect(badCall.code).toBe(2);
    expect(badCall.stderr).toContain('"acme.boss"');

    const list = await runCli(["users", "list", "--file", file]);
    expect(list.stdout).toMatch(/acme\.planner\s+agent\s+acme\/planner \(calls others\)\s+password/);
    expect((await runCli(["users", "remove", "alice", "--file", file])).code).toBe(0);
    expect((await runCli(["users", "list", "--file", file])).stdout).not.toContain("alice");
    expect((await runCli(["users", "remove", "alice", "--file", file])).code).toBe(4);
  });
});

describe("a2a broker", { timeout: 90_000 }, () => {
  it("prints its URL, serves agents and clients, and closes cleanly on SIGINT", async () => {
    const broker = startCli(["broker", "--port", "0"]);
    const [url] = await broker.waitForStdout(/mqtt:\/\/127\.0\.0\.1:\d+/);
    await broker.waitForStderr(/open: anyone may connect/);
    const agent = new A2AAgent({ orgId: "test-org", agentId: "hello", name: "Hello", description: "Says hi", broker: url, stopGracePeriodMs: 200 });
    agent.registerTool(function hello(params) {
      return `Hello, ${String(params.message)}`;
    });
    await agent.start();
    try {
      const sent = await runCli(["send", "test-org/hello", "--text", "world", "--broker", url]);
      expect(sent).toEqual({ code: 0, stdout: "Hello, world\n", stderr: "" });
    } finally {
      await agent.stop();
    }
    expect(await broker.stop("SIGINT")).toBe(0);
    expect(broker.stderr()).toContain("Broker stopped.");
    // Nothing listens there any more.
    expect((await runCli(["agents", "--broker", url])).code).toBe(3);
  });

  it("checks logins and the ACL with --users, and stops on SIGTERM", async () => {
    const file = join(dir, "users-broker.json");
    await addUsers(file);
    const planner = await runCli(["users", "add", "acme.planner", "--role", "agent", "--org", "acme", "--agent", "planner", "--can-call", "--file", file], {
      env: { A2A_USER_PASSWORD: "planner-secret" },
    });
    expect(planner.code, planner.stderr).toBe(0);
    const broker = startCli(["broker", "--port", "0", "--users", file]);
    const [url] = await broker.waitForStdout(/mqtt:\/\/127\.0\.0\.1:\d+/);
    const agent = echoAgent(url);
    await agent.start();
    try {
      const ok = await runCli(["send", "test-org/echo", "--text", "hi", "--broker", url], { env: { A2A_USERNAME: "alice", A2A_PASSWORD: "alice-secret" } });
      expect(ok).toEqual({ code: 0, stdout: "Echo: hi\n", stderr: "" });
      const wrong = await runCli(["agents", "--broker", url, "-u", "alice", "-p", "nope"]);
      expect(wrong.code).toBe(3);
      expect(wrong.stderr).toContain(`The broker at ${url} refused the login`);

      // An orchestrator (an agent user with --can-call) serves and calls on one connection.
      const planner = new A2AAgent({
        orgId: "acme",
        agentId: "planner",
        name: "Planner",
        description: "Asks echo",
        broker: url,
        clientId: "acme.planner",
        mqtt: { username: "acme.planner", password: "planner-secret" },
        stopGracePeriodMs: 200,
      });
      let calls: A2AClient | undefined;
      planner.registerTool(async function plan(params) {
        const answer = await calls?.agent("test-org/echo").sendMessage({ message: { messageId: crypto.randomUUID(), role: "ROLE_USER", parts: [{ text: String(params.message) }] } });
        return `planned: ${textOf(answer)}`;
      });
      await planner.start();
      calls = new A2AClient({ broker: planner.transport! });
      try {
        const viaPlanner = await runCli(["send", "acme/planner", "--text", "trip", "--broker", url, "-u", "alice", "-p", "alice-secret"]);
        expect(viaPlanner).toEqual({ code: 0, stdout: "planned: Echo: trip\n", stderr: "" });
      } finally {
        await calls.close();
        await planner.stop();
      }
    } finally {
      await agent.stop();
    }
    expect(await broker.stop("SIGTERM")).toBe(0);
  });

  it("says so when the port is taken", async () => {
    const first = startCli(["broker", "--port", "0"]);
    const [, port] = await first.waitForStdout(/mqtt:\/\/127\.0\.0\.1:(\d+)/);
    const second = await runCli(["broker", "--port", String(port)]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/Cannot start the broker: .*EADDRINUSE.*--port/);
    expect(await first.stop()).toBe(0);
  });
});

// Under CI=true a missing mosquitto fails here instead of skipping.
describe.runIf(requireMosquitto())("a2a acl --format mosquitto", { timeout: 90_000 }, () => {
  it("writes files mosquitto runs with: the agent serves and the client calls with their passwords", async () => {
    const file = join(dir, "users-acl.json");
    await addUsers(file);
    const out = join(dir, "mosquitto");
    const port = await freePort();
    const exported = await runCli(["acl", "--format", "mosquitto", "--users", file, "--out", out, "--port", String(port), "--host", "127.0.0.1"]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout.trim().split("\n")).toEqual([join(out, "mosquitto.conf"), join(out, "acl"), join(out, "passwd")]);
    expect(exported.stderr).toContain(`mosquitto -c ${join(out, "mosquitto.conf")}`);
    const acl = await readFile(join(out, "acl"), "utf8");
    expect(acl).toContain("user alice\ntopic deny discovery/+/tasks");
    expect((await stat(join(out, "passwd"))).mode & 0o777).toBe(0o600);

    await appendFile(join(out, "mosquitto.conf"), `\n${mosquittoTestConfig()}`);
    const mosquitto = await spawnMosquitto({ configFile: join(out, "mosquitto.conf"), ports: [port] });
    const url = `mqtt://127.0.0.1:${port}`;
    const agent = echoAgent(url);
    try {
      await agent.start();
      const client = { A2A_USERNAME: "alice", A2A_PASSWORD: "alice-secret", A2A_BROKER_URL: url };
      const listed = await runCli(["agents"], { env: client });
      expect(listed.stdout).toMatch(/test-org\/echo\s+online\s+Echo\s+echo/);
      const sent = await runCli(["send", "test-org/echo", "--text", "over mosquitto"], { env: client });
      expect(sent).toEqual({ code: 0, stdout: "Echo: over mosquitto\n", stderr: "" });
      const refused = await runCli(["agents"], { env: { ...client, A2A_PASSWORD: "wrong" } });
      expect(refused.code).toBe(3);
    } finally {
      await agent.stop();
      await mosquitto.close();
    }
  });

  // What a root user gets: mosquitto started as root reads passwd and acl as the user mosquitto.
  it.runIf(process.getuid?.() === 0)("writes files that mosquitto started by root can read", async () => {
    const file = join(dir, "users-root.json");
    await addUsers(file);
    // A directory others may enter (mkdtemp makes it 0700), as /etc/mosquitto is.
    const shared = await mkdtemp(join(tmpdir(), "a2a-acl-root-"));
    await chmod(shared, 0o755);
    try {
      const out = join(shared, "mosquitto");
      const port = await freePort();
      const exported = await runCli(["acl", "--format", "mosquitto", "--users", file, "--out", out, "--port", String(port), "--host", "127.0.0.1"]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stderr).not.toContain("cannot enter");
      const mosquittoUser = await systemUser("mosquitto");
      expect((await stat(join(out, "passwd"))).uid).toBe(mosquittoUser?.uid);
      expect((await stat(join(out, "passwd"))).mode & 0o777).toBe(0o600);
      // No `user root` line: mosquitto switches to its own user, as in production.
      await appendFile(join(out, "mosquitto.conf"), "\nlog_dest stderr\n");
      const mosquitto = await spawnMosquitto({ configFile: join(out, "mosquitto.conf"), ports: [port] });
      const agent = echoAgent(`mqtt://127.0.0.1:${port}`);
      try {
        await agent.start();
        const sent = await runCli(["send", "test-org/echo", "--text", "as root", "--broker", `mqtt://127.0.0.1:${port}`, "-u", "alice", "-p", "alice-secret"]);
        expect(sent).toEqual({ code: 0, stdout: "Echo: as root\n", stderr: "" });
      } finally {
        await agent.stop();
        await mosquitto.close();
      }

      // Files mosquitto could not reach get the exact reason and the fix.
      const hidden = await runCli(["acl", "--format", "mosquitto", "--users", file, "--out", join(dir, "hidden")]);
      expect(hidden.code).toBe(0);
      expect(hidden.stderr).toContain(`cannot enter ${dir}`);
      const elsewhere = await runCli(["acl", "--format", "mosquitto", "--users", file, "--out", join(dir, "deploy"), "--install-dir", "/etc/mosquitto/a2a"]);
      expect(elsewhere.stderr).toContain("on the mosquitto host run: chown mosquitto: /etc/mosquitto/a2a/acl /etc/mosquitto/a2a/passwd");
    } finally {
      await rm(shared, { recursive: true, force: true });
    }
  });

  it("refuses a users file that does not exist", async () => {
    const result = await runCli(["acl", "--format", "mosquitto", "--users", join(dir, "nope.json"), "--out", join(dir, "x")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Cannot read the users file");
  });
});
