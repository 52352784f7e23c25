import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MqttTransport } from "@a2a/transport/mqtt";
import { requireMosquitto, startAedes, startMosquitto, waitFor } from "@a2a/testing";
import { A2AAgent, FileTaskStore, RESTART_FAILURE_TEXT } from "@a2a/agent";
import { textMessage, TestRequester } from "./helpers.js";
import type { ListTasksResult, Task } from "@a2a/schema";
import type { SentTask } from "./wire-types.js";


const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const fixture = fileURLToPath(new URL("./fixtures/durable-agent.ts", import.meta.url));

function suite(name: string, startBroker: () => Promise<{ url: string; close(): Promise<void> }>, protocolVersion: 4 | 5) {
  describe(`an agent with a FileTaskStore restarted on ${name}`, () => {
    let broker: { url: string; close(): Promise<void> };
    const cleanups: (() => Promise<void>)[] = [];
    beforeAll(async () => {
      broker = await startBroker();
    });
    afterAll(async () => {
      await broker.close();
    });
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
    });

    it("finds its finished tasks again and reports the one that was running as failed", async () => {
      const dir = await mkdtemp(join(tmpdir(), "a2a-durable-"));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const agentId = `durable-${protocolVersion}-${Date.now()}`;
      const child: ChildProcess = spawn(
        process.execPath,
        ["--conditions=@a2a/source", "--import", "tsx", fixture, broker.url, "plant", agentId, dir],
        { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
      );
      cleanups.push(async () => void child.kill("SIGKILL"));
      let stdout = "";
      let stderr = "";
      child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
      await waitFor(() => stdout.includes("ready") || undefined, { timeoutMs: 20_000, message: `the agent process to start (${stderr})` });

      const transport = new MqttTransport({ url: broker.url, clientId: `req-${agentId}`, clean: true, protocolVersion });
      await transport.connect();
      cleanups.push(() => transport.close());
      const client = await new TestRequester(transport, { agentTopic: `plant/${agentId}/tasks`, messageProperties: protocolVersion === 5 }).start();

      const done = (await client.call("SendMessage", textMessage("hello", { contextId: "line-7", metadata: { skillId: "echo" } }))).result as SentTask;
      expect(done.task.status.state).toBe("TASK_STATE_COMPLETED");
      const slow = (await client.call("SendMessage", textMessage("wait", { contextId: "line-7", metadata: { skillId: "slow" } }, { returnImmediately: true }))).result as SentTask;
      await waitFor(async () => ((await client.call("GetTask", { id: slow.task.id })).result as Task).status.state === "TASK_STATE_WORKING" || undefined, {
        message: "the slow task to be working",
      });

      // A crash: no stop(), no flush, no goodbye.
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;

      const taskStore = await FileTaskStore.open({ dir });
      const agent = new A2AAgent({ orgId: "plant", agentId, name: "Durable Agent", description: "Keeps its tasks", broker: broker.url, taskStore });
      agent.registerTool(function echo(params) { return `Echo: ${String(params.message)}`; });
      await agent.start();
      cleanups.push(async () => {
        await agent.stop({ gracePeriodMs: 100 });
        await taskStore.close();
      });

      const again = (await client.call("GetTask", { id: done.task.id })).result as Task;
      expect(again.status.state).toBe("TASK_STATE_COMPLETED");
      expect(again.artifacts?.[0]?.parts).toEqual([{ text: "Echo: hello" }]);
      expect(again.history?.[0]?.parts).toEqual([{ text: "hello" }]);

      const failed = (await client.call("GetTask", { id: slow.task.id })).result as Task;
      expect(failed.status.state).toBe("TASK_STATE_FAILED");
      expect(failed.status.message?.parts).toEqual([{ text: RESTART_FAILURE_TEXT }]);

      const listed = (await client.call("ListTasks", { contextId: "line-7" })).result as ListTasksResult;
      expect(listed.tasks.map((t) => t.id)).toEqual([slow.task.id, done.task.id]);
      expect(listed.totalSize).toBe(2);
      expect((await client.call("CancelTask", { id: slow.task.id })).error?.code).toBe(-32002);
    });
  });
}

suite("aedes", () => startAedes(), 4);
describe.runIf(requireMosquitto())("mosquitto", () => {
  suite("mosquitto", () => startMosquitto(), 5);
});
