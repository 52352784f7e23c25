import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { MqttTransport } from "@a2a/transport/mqtt";
import { startAedes, waitFor } from "@a2a/testing";
import { A2AAgent, FileTaskStore, RESTART_FAILURE_TEXT } from "@a2a/agent";
import { textMessage, TestRequester } from "./helpers.js";
import { startWebhookServer } from "./webhook-server.js";
import type { Task } from "@a2a/schema";
import type { SentTask, WireEvent } from "./wire-types.js";


const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const fixture = fileURLToPath(new URL("./fixtures/durable-agent.ts", import.meta.url));

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

describe("an agent with a FileTaskStore, crashed and restarted (aedes)", () => {
  it("keeps push configs and task owners: the webhook hears of the failure, other clients still see nothing", async () => {
    const broker = await startAedes();
    cleanups.push(() => broker.close());
    const hooks = await startWebhookServer();
    cleanups.push(() => hooks.close());
    const dir = await mkdtemp(join(tmpdir(), "a2a-durable-push-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const agentId = `durable-push-${Date.now()}`;
    const child: ChildProcess = spawn(process.execPath, ["--conditions=@a2a/source", "--import", "tsx", fixture, broker.url, "plant", agentId, dir], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, DURABLE_PUSH: "1" },
    });
    cleanups.push(async () => void child.kill("SIGKILL"));
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
    await waitFor(() => stdout.includes("ready") || undefined, { timeoutMs: 20_000, message: `the agent process to start (${stderr})` });

    const requester = async (clientId: string) => {
      const transport = new MqttTransport({ url: broker.url, clientId, clean: true });
      await transport.connect();
      cleanups.push(() => transport.close());
      return new TestRequester(transport, { agentTopic: `plant/${agentId}/tasks`, messageProperties: false }).start();
    };
    const owner = await requester(`owner-${agentId}`);
    const slow = (await owner.call("SendMessage", textMessage("wait", { metadata: { skillId: "slow" } }, { returnImmediately: true }))).result as SentTask;
    const config = await owner.call("CreateTaskPushNotificationConfig", { taskId: slow.task.id, url: `${hooks.url}/after-restart`, token: "t-1" });
    expect(config.error).toBeUndefined();

    // A crash: no stop(), so no notification of the end of the task from this run.
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    expect(hooks.at("/after-restart")).toEqual([]);

    const taskStore = await FileTaskStore.open({ dir });
    const agent = new A2AAgent({
      orgId: "plant",
      agentId,
      name: "Durable Agent",
      description: "Keeps its tasks",
      broker: broker.url,
      taskStore,
      pushNotifications: true,
      push: { allowLoopback: true },
    });
    agent.registerTool(function echo(params) {
      return `Echo: ${String(params.message)}`;
    });
    await agent.start();
    cleanups.push(async () => {
      await agent.stop({ gracePeriodMs: 100 });
      await taskStore.close();
    });

    const [hook] = await waitFor(() => (hooks.at("/after-restart").length > 0 ? hooks.at("/after-restart") : undefined), {
      message: "the failure notification after the restart",
    });
    expect(hook!.headers["x-a2a-notification-token"]).toBe("t-1");
    const update = (hook!.body as WireEvent).statusUpdate;
    expect(update?.taskId).toBe(slow.task.id);
    expect(update?.status.state).toBe("TASK_STATE_FAILED");
    expect(update?.status.message?.parts).toEqual([{ text: RESTART_FAILURE_TEXT }]);

    // The task's owner was kept with it.
    const other = await requester(`other-${agentId}`);
    expect((await other.call("GetTask", { id: slow.task.id })).error?.code).toBe(-32001);
    expect(((await owner.call("GetTask", { id: slow.task.id })).result as Task).status.state).toBe("TASK_STATE_FAILED");
  }, 40_000);
});
