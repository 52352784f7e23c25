import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StreamResponse } from "@a2a/schema";
import { RESTART_FAILURE_TEXT } from "@a2a/agent";
import { A2AClient, A2AClientError, userMessage, type AgentEvent } from "@a2a/client";
import { startAedes, waitFor, type AedesHandle } from "@a2a/testing";

const KEEPALIVE_MS = 2_000;
const FIXTURE = fileURLToPath(new URL("./fixtures/crash-agent.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A running agent process and the lines it printed. */
interface AgentProcess {
  child: ChildProcess;
  lines: string[];
  exited: Promise<void>;
}

function spawnAgent(url: string, { org, agent, dir }: { org: string; agent: string; dir: string }): AgentProcess {
  const child = spawn(process.execPath, ["--conditions=@a2a/source", "--import", "tsx", FIXTURE, url, org, agent, dir], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let buffer = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    lines.push(...parts);
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(() => {
    if (!lines.includes("ready") && stderr !== "") console.error(`crash-agent stderr: ${stderr}`);
  });
  return { child, lines, exited };
}

// A real process killed with SIGKILL: no stop(), no clean disconnect. The broker notices
// the dead socket and publishes the agent's will (its card, offline).
describe("an agent process killed with SIGKILL mid-task (aedes)", () => {
  let aedes: AedesHandle;
  let client: A2AClient;
  let dir: string;
  const org = "reliability";
  const agentName = `crash-${randomUUID().slice(0, 8)}`;
  const id = `${org}/${agentName}`;
  const processes: AgentProcess[] = [];

  beforeAll(async () => {
    aedes = await startAedes();
    dir = await mkdtemp(join(tmpdir(), "a2a-crash-store-"));
    client = new A2AClient({ broker: aedes.url, timeoutMs: 30_000 });
    await client.connect();
  });

  afterAll(async () => {
    for (const p of processes) {
      p.child.kill("SIGKILL");
      await p.exited;
    }
    await client?.close();
    await aedes?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("shows offline within 1.5x keepalive, fails pending calls fast, and reports the interrupted tasks after a restart", async () => {
    const first = spawnAgent(aedes.url, { org, agent: agentName, dir });
    processes.push(first);
    await waitFor(() => first.lines.includes("ready"), { timeoutMs: 20_000, message: "the agent process to start" });

    const events: Array<AgentEvent & { at: number }> = [];
    const watch = new AbortController();
    void (async () => {
      for await (const e of client.watchAgents({ signal: watch.signal })) if (e.agent.id === id) events.push({ ...e, at: Date.now() });
    })();
    await waitFor(() => events.some((e) => e.type === "online"), { message: "the agent's card online" });

    // Two calls in flight: a stream (which tells us its task id) and a blocking call.
    const handle = client.agent(id);
    const frames: StreamResponse[] = [];
    const streaming = (async () => {
      for await (const frame of handle.sendStreamingMessage({ message: userMessage({ text: "a", skill: "hold" }) })) frames.push(frame);
    })().then(
      () => undefined,
      (error: unknown) => ({ error, at: Date.now() }),
    );
    const blocking = handle.sendMessage({ message: userMessage({ text: "b", skill: "hold" }) }).then(
      () => undefined,
      (error: unknown) => ({ error, at: Date.now() }),
    );
    await waitFor(() => first.lines.filter((l) => l.startsWith("started ")).length === 2, { timeoutMs: 10_000, message: "both tasks to start" });
    const taskIds = first.lines.filter((l) => l.startsWith("started ")).map((l) => l.slice("started ".length));
    // Both tasks are in the durable store before the crash.
    await waitFor(async () => {
      const text = (await Promise.all((await readdir(dir)).map((f) => readFile(join(dir, f), "utf8").catch(() => "")))).join("");
      return taskIds.every((t) => text.includes(`"id":"${t}"`) && text.includes("TASK_STATE_WORKING"));
    }, { message: "the working tasks to reach the store" });

    const killedAt = Date.now();
    first.child.kill("SIGKILL");
    await first.exited;

    const offline = await waitFor(() => events.find((e) => e.type === "offline"), {
      timeoutMs: KEEPALIVE_MS * 3,
      message: "the offline card (the will)",
    });
    expect(offline.at - killedAt).toBeLessThan(KEEPALIVE_MS * 1.5);

    for (const outcome of [await streaming, await blocking]) {
      expect(outcome?.error).toBeInstanceOf(A2AClientError);
      expect((outcome?.error as A2AClientError).code).toBe("AGENT_OFFLINE");
      expect((outcome?.error as Error).message).toContain(id);
      expect(outcome!.at - killedAt).toBeLessThan(KEEPALIVE_MS * 1.5);
    }
    const opening = frames[0];
    expect(taskIds).toContain(opening !== undefined && "task" in opening ? opening.task.id : undefined);

    // The agent comes back on the same store: the interrupted tasks are failed, saying why.
    const second = spawnAgent(aedes.url, { org, agent: agentName, dir });
    processes.push(second);
    await waitFor(() => second.lines.includes("ready"), { timeoutMs: 20_000, message: "the agent process to restart" });
    await waitFor(() => events.at(-1)?.type === "online", { message: "the agent's card online again" });
    for (const taskId of taskIds) {
      const task = await handle.getTask(taskId);
      expect(task.status.state).toBe("TASK_STATE_FAILED");
      const text = task.status.message?.parts.map((p) => ("text" in p ? p.text : "")).join("");
      expect(text).toBe(RESTART_FAILURE_TEXT);
    }
    watch.abort();
  }, 60_000);
});
