import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { writeFile } from "node:fs/promises";
import { createUser, loadBridgesFile, mosquittoBridgeLines, type BrokerUser } from "@a2a/broker";
import { A2AClient, userMessage } from "@a2a/client";
import { freePort, requireMosquitto, waitFor, type MosquittoProcess } from "@a2a/testing";
import { runExportedMosquitto } from "./helpers.js";

const PASSWORD = "site-secret";
const fast = { password: PASSWORD, scrypt: { cost: 1024 }, mosquitto: { iterations: 1_000 } };

// Two real mosquitto processes: a site (edge) broker with the agents of org acme, joined
// by the bridge `toMosquittoConfig({ bridges })` writes to a central broker with the clients.
describe.runIf(requireMosquitto())("sites joined by mosquitto bridges", () => {
  let dirs: string[] = [];
  let central: MosquittoProcess;
  let edge: MosquittoProcess;
  let centralUrl: string;
  let edgeUrl: string;

  beforeAll(async () => {
    dirs = await Promise.all([mkdtemp(join(tmpdir(), "a2a-central-")), mkdtemp(join(tmpdir(), "a2a-edge-"))]);
    const [centralPort, edgePort] = await Promise.all([freePort(), freePort()]);
    const centralUsers: BrokerUser[] = await Promise.all([
      createUser({ username: "alice", role: "client", ...fast }),
      // The bridge carries many agents' and clients' traffic: on the central broker it is an admin.
      createUser({ username: "bridge.site-a", role: "admin", ...fast }),
    ]);
    central = await runExportedMosquitto(dirs[0]!, { users: centralUsers, port: centralPort, host: "127.0.0.1" });
    edge = await runExportedMosquitto(dirs[1]!, {
      users: [await createUser({ username: "acme/echo", role: "agent", ...fast })],
      port: edgePort,
      host: "127.0.0.1",
      bridges: [
        { name: "site-a", address: `127.0.0.1:${centralPort}`, direction: "agents-at-edge", scope: ["acme"], username: "bridge.site-a", password: PASSWORD },
      ],
    });
    centralUrl = `mqtt://127.0.0.1:${centralPort}`;
    edgeUrl = `mqtt://127.0.0.1:${edgePort}`;
  });
  afterAll(async () => {
    await edge?.close();
    await central?.close();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it("serves an agent at the site to a client in the centre: card, request, reply and follow-up cross the bridge", async () => {
    const agent = new A2AAgent({
      orgId: "acme",
      agentId: "echo",
      name: "Echo",
      description: "Echoes at the site",
      broker: edgeUrl,
      mqtt: { username: "acme/echo", password: PASSWORD },
    });
    agent.skill<{ key: string }>({ id: "work", handler: (input) => ({ echoed: input.key }) });
    await agent.start();
    const client = new A2AClient({ broker: centralUrl, clientId: "alice", username: "alice", password: PASSWORD, timeoutMs: 10_000 });
    try {
      await client.connect();
      const echo = client.agent("acme/echo");
      await waitFor(async () => (await echo.info())?.status === "online", { timeoutMs: 10_000, message: "the site's card in the centre" });
      const result = await echo.sendMessage({ message: userMessage({ data: { key: "across" }, skill: "work" }) });
      expect("task" in result && result.task.status.state).toBe("TASK_STATE_COMPLETED");
      const taskId = "task" in result ? result.task.id : "";
      expect((await echo.getTask(taskId)).artifacts?.[0]?.parts).toEqual([expect.objectContaining({ data: { echoed: "across" } })]);
    } finally {
      await client.close();
      await agent.stop({ gracePeriodMs: 100 });
    }
  });

  it("writes the topics of each direction, scoped to the site's orgs or clients", () => {
    const common = { name: "s", address: "central:1883", username: "b", password: "p" };
    expect(mosquittoBridgeLines({ ...common, direction: "agents-at-edge", scope: ["acme"] }).filter((l) => l.startsWith("topic "))).toEqual([
      "topic discovery/acme/# out 1",
      "topic acme/+/tasks in 1",
      "topic acme/+/tasks/+ in 1",
      "topic acme/+/results out 1",
      "topic replies/# out 1",
    ]);
    expect(mosquittoBridgeLines({ ...common, direction: "clients-at-edge", scope: ["bob"], prefix: "t1" }).filter((l) => l.startsWith("topic "))).toEqual([
      "topic t1/discovery/# in 1",
      "topic t1/+/+/tasks out 1",
      "topic t1/+/+/tasks/+ out 1",
      "topic t1/replies/bob/# in 1",
    ]);
    expect(() => mosquittoBridgeLines({ ...common, direction: "agents-at-edge", scope: ["a/b"] })).toThrow(/org id/);
    expect(() => mosquittoBridgeLines({ ...common, direction: "agents-at-edge", scope: [] })).toThrow(/nothing would cross/);
  });

  it("reads bridges from a file (they hold passwords, so not from the command line), naming each problem", async () => {
    const file = join(dirs[0]!, "bridges.json");
    const bridge = { name: "s", address: "central:1883", direction: "agents-at-edge", scope: ["acme"], username: "b", password: "p" };
    await writeFile(file, JSON.stringify({ bridges: [bridge] }));
    expect(await loadBridgesFile(file)).toEqual([bridge]);
    await writeFile(file, JSON.stringify({ bridges: [{ ...bridge, direction: "sideways" }] }));
    await expect(loadBridgesFile(file)).rejects.toThrow(/bridges file .* is not valid: bridges\.0\.direction/);
  });
});
