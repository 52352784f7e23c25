import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { createBroker, type Broker } from "@a2a/broker";
import { freePort } from "@a2a/testing";
import { buildCli, killAll, runCli, startCli } from "./helpers/run-cli.js";

/**
 * The `a2a` bin, spawned as a real process, against an agent running in this process
 * on an embedded broker.
 */
// Each test spawns the CLI several times; on a loaded machine a spawn takes seconds.
describe("a2a agents, send, stream and task against a running agent", { timeout: 90_000 }, () => {
  let broker: Broker;
  let agent: A2AAgent;
  let url: string;
  const env = () => ({ A2A_BROKER_URL: url });

  beforeAll(async () => {
    await buildCli();
    broker = await createBroker({ port: 0, logger: () => {} });
    url = broker.url;
    agent = new A2AAgent({
      orgId: "test-org",
      agentId: "echo",
      name: "Echo Agent",
      description: "Echoes, reports and waits",
      broker: url,
      stopGracePeriodMs: 200,
    });
    agent.registerTool(function echo(params) {
      return `Echo: ${String(params.message)}`;
    });
    agent.skill({
      id: "sum",
      handler: (input: Record<string, unknown>) => ({ sum: Number(input.a) + Number(input.b) }),
    });
    agent.skill({
      id: "report",
      handler: async (_input, ctx) => {
        await ctx.status("working", "Looking it up");
        await ctx.artifact({ text: "partial ", name: "report" });
        await ctx.artifact({ text: "result", append: true, lastChunk: true });
        return undefined;
      },
    });
    agent.skill({
      id: "slow",
      // Runs until canceled (or the agent stops).
      handler: (_input, ctx) => new Promise((resolve) => ctx.signal.addEventListener("abort", () => resolve("stopped"), { once: true })),
    });
    agent.skill({
      id: "broken",
      handler: () => {
        throw new Error("the warehouse is on fire");
      },
    });
    await agent.start();
  }, 120_000);

  afterEach(killAll);
  afterAll(async () => {
    await agent?.stop();
    await broker?.close();
  });

  it("lists the agent online with its skills, as a table and as JSON", async () => {
    const table = await runCli(["agents"], { env: env() });
    expect(table.stderr).toBe("");
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^AGENT\s+STATUS\s+NAME\s+SKILLS\n/);
    expect(table.stdout).toMatch(/test-org\/echo\s+online\s+Echo Agent\s+echo, sum, report, slow, broken\n/);

    const json = await runCli(["agents", "--json", "--skill", "report"], { env: env() });
    expect(json.code).toBe(0);
    const agents = JSON.parse(json.stdout) as Array<{ id: string; status: string; skills: Array<{ id: string }> }>;
    expect(agents.map((a) => [a.id, a.status])).toEqual([["test-org/echo", "online"]]);
    expect(agents[0]?.skills.map((s) => s.id)).toContain("slow");

    const none = await runCli(["agents", "--skill", "nothing-like-it", "--broker", url]);
    expect(none).toMatchObject({ code: 0, stdout: "" });
    expect(none.stderr).toContain("No agents on");
  });

  it("watches agents come and go until SIGINT", async () => {
    const watch = startCli(["agents", "--watch"], { env: env() });
    await watch.waitForStdout(/online\s+test-org\/echo\s+Echo Agent\s+skills: echo, sum/);
    const late = new A2AAgent({ orgId: "test-org", agentId: "late", name: "Late Agent", description: "Comes late", broker: url });
    late.registerTool(function hello() {
      return "hi";
    });
    await late.start();
    await watch.waitForStdout(/online\s+test-org\/late\s+Late Agent\s+skills: hello/);
    await late.stop();
    await watch.waitForStdout(/removed\s+test-org\/late/);
    expect(await watch.stop("SIGINT")).toBe(0);
    expect(watch.stderr()).toContain(`Watching agents on ${url}`);
  });

  it("sends a message and prints the answer; --json prints the Task", async () => {
    const text = await runCli(["send", "test-org/echo", "--skill", "echo", "--text", "hello"], { env: env() });
    expect(text).toEqual({ code: 0, stdout: "Echo: hello\n", stderr: "" });

    const data = await runCli(["send", "test-org/echo", "--skill", "sum", "--data", '{"a":2,"b":3}'], { env: env() });
    expect(data.code).toBe(0);
    expect(JSON.parse(data.stdout)).toEqual({ sum: 5 });

    const raw = await runCli(["send", "test-org/echo", "-s", "echo", "--text", "hi", "--json"], { env: env() });
    expect(raw.code).toBe(0);
    const task = JSON.parse(raw.stdout) as { id: string; status: { state: string }; artifacts: unknown[] };
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(task.artifacts).toHaveLength(1);
  });

  it("exits 1 with the task's message when the task fails", async () => {
    const failed = await runCli(["send", "test-org/echo", "--skill", "broken", "--text", "go"], { env: env() });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/Task \S+ ended failed: .*the warehouse is on fire/);
  });

  it("streams the task's events as they arrive", async () => {
    const stream = await runCli(["stream", "test-org/echo", "--skill", "report", "--text", "go"], { env: env() });
    expect(stream.code).toBe(0);
    const lines = stream.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^task \S+ submitted \(context \S+\)$/);
    expect(lines).toContain("status working: Looking it up");
    expect(lines).toContain("artifact report: partial ");
    expect(lines).toContain("artifact report (append, last): result");
    expect(lines.at(-1)).toBe("status completed");

    const json = await runCli(["stream", "test-org/echo", "--skill", "report", "--text", "go", "--json"], { env: env() });
    const events = json.stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(Object.keys(events[0] ?? {})).toEqual(["task"]);
    expect(events.filter((e) => "artifactUpdate" in e)).toHaveLength(2);

    // The appended chunks of one artifact make one text.
    const sent = await runCli(["send", "test-org/echo", "--skill", "report", "--text", "go"], { env: env() });
    expect(sent).toMatchObject({ code: 0, stdout: "partial result\n" });
  });

  it("gets, lists and cancels a task", async () => {
    const started = await runCli(["send", "test-org/echo", "--skill", "slow", "--text", "wait", "--no-wait"], { env: env() });
    expect(started.code).toBe(0);
    const id = started.stdout.trim();
    expect(id).toMatch(/^\S+$/);
    expect(started.stderr).toContain(`a2a task get test-org/echo ${id} --client-id `);
    // The agent shows the task only to the client id that created it, which the hint names.
    const clientId = /--client-id (\S+)/.exec(started.stderr)![1]!;
    const as = ["--client-id", clientId];
    const other = await runCli(["task", "get", "test-org/echo", id], { env: env() });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/-32001/);

    const get = await runCli(["task", "get", "test-org/echo", id, ...as], { env: env() });
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(new RegExp(`^task     ${id}\\nstate    (submitted|working)\\n`));

    const list = await runCli(["task", "list", "test-org/echo", "--status", "working", "--page-size", "50", ...as], { env: env() });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^TASK\s+STATE\s+CONTEXT\s+UPDATED\n/);
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+working`));
    const contextId = (JSON.parse((await runCli(["task", "get", "test-org/echo", id, "--json", ...as], { env: env() })).stdout) as { contextId: string }).contextId;
    const byContext = await runCli(["task", "list", "test-org/echo", "--context", contextId, "--json", ...as], { env: env() });
    expect((JSON.parse(byContext.stdout) as { tasks: Array<{ id: string }> }).tasks.map((t) => t.id)).toEqual([id]);

    const cancel = await runCli(["task", "cancel", "test-org/echo", id, ...as], { env: env() });
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toContain("state    canceled");
    const after = await runCli(["task", "get", "test-org/echo", id, "--json", ...as], { env: env() });
    expect((JSON.parse(after.stdout) as { status: { state: string } }).status.state).toBe("TASK_STATE_CANCELED");

    const again = await runCli(["task", "cancel", "test-org/echo", id, ...as], { env: env() });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/test-org\/echo answered with error -32002/);
  });

  it("reports an unknown task as the agent's error", async () => {
    const missing = await runCli(["task", "get", "test-org/echo", "no-such-task"], { env: env() });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/answered with error -32001/);
  });

  it("names an unknown agent and the ids nearby (exit 4)", async () => {
    const unknown = await runCli(["send", "test-org/ecoh", "--text", "hi"], { env: env() });
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain(`Unknown agent test-org/ecoh: no Agent Card on ${url}. Did you mean: test-org/echo?`);
    expect(unknown.stdout).toBe("");
  });

  it("gives up after --timeout (exit 5)", async () => {
    const slow = await runCli(["send", "test-org/echo", "--skill", "slow", "--text", "wait", "--timeout", "3000"], { env: env() });
    expect(slow.code).toBe(5);
    expect(slow.stderr).toMatch(/Timed out after 3000 ms waiting for test-org\/echo/);
    // In the CLI's words only: no option of the client API.
    expect(slow.stderr).toContain("Raise --timeout");
    expect(slow.stderr).not.toMatch(/timeoutMs|returnImmediately/);
  });

  it("says which broker is unreachable and how to start one (exit 3)", async () => {
    const port = await freePort();
    const result = await runCli(["agents", "--broker", `mqtt://127.0.0.1:${port}`]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`Cannot reach an MQTT broker at mqtt://127.0.0.1:${port}`);
    expect(result.stderr).toContain("a2a broker");
  });

  it("rejects bad usage with exit 2 and a pointer to --help", async () => {
    const noText = await runCli(["send", "test-org/echo"], { env: env() });
    expect(noText.code).toBe(2);
    expect(noText.stderr).toContain("give --text T or --data JSON");
    const badJson = await runCli(["send", "test-org/echo", "--data", "{oops"], { env: env() });
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain("--data is not valid JSON");
    const badId = await runCli(["send", "echo", "--text", "x"], { env: env() });
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain('Agent id "echo" is not valid');
    const badState = await runCli(["task", "list", "test-org/echo", "--status", "done"], { env: env() });
    expect(badState.code).toBe(2);
    expect(badState.stderr).toContain("use one of submitted, working, completed");
    const noSkill = await runCli(["send", "test-org/echo", "--text", "hi"], { env: env() });
    expect(noSkill.code).toBe(2);
    expect(noSkill.stderr).toContain("test-org/echo has several skills (echo, sum, report, slow, broken); name one with --skill");
    expect(noSkill.stderr).not.toContain("metadata.skillId");
    const wrongSkill = await runCli(["stream", "test-org/echo", "--skill", "sun", "--text", "hi"], { env: env() });
    expect(wrongSkill.code).toBe(2);
    expect(wrongSkill.stderr).toContain('has no skill "sun"; its skills are echo, sum, report, slow, broken. Did you mean --skill sum?');
    const typo = await runCli(["send", "test-org/echo", "--skil", "echo", "--text", "hi"], { env: env() });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("Unknown option '--skil'. Did you mean --skill?");
    expect(typo.stderr).toContain("Run `a2a send --help` for usage.");
    const typoCommand = await runCli(["agnets"]);
    expect(typoCommand.code).toBe(2);
    expect(typoCommand.stderr).toContain("Did you mean agents?");
    const unknownOption = await runCli(["agents", "--frobnicate"]);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("Run `a2a agents --help` for usage.");
  });

  it("has --help with examples for every command", async () => {
    const commands = [["broker"], ["users", "add"], ["users", "list"], ["users", "remove"], ["agents"], ["send"], ["stream"], ["task", "get"], ["task", "cancel"], ["task", "list"], ["task", "subscribe"], ["acl"]];
    const results = await Promise.all(commands.map((c) => runCli([...c, "--help"])));
    results.forEach((r, i) => {
      expect(r.code, commands[i]?.join(" ")).toBe(0);
      expect(r.stdout, commands[i]?.join(" ")).toMatch(new RegExp(`^Usage: a2a ${commands[i]?.join(" ")}`));
      expect(r.stdout, commands[i]?.join(" ")).toMatch(new RegExp(`\nExamples:\n {2}(\\S.* )?a2a ${commands[i]?.[0]}`));
    });
    const top = await runCli(["--help"]);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain("task cancel");
    expect(top.stdout).toContain("A2A_BROKER_URL");
  });
});
