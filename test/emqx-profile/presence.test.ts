// Presence and liveness on the profile (mqtt_transport.md, "Presence and Liveness"): the
// will of an agent process killed with SIGKILL replaces its retained card with the
// offline card (a2a-status=offline, a2a-status-source=lwt); a graceful stop publishes
// the offline card itself (a2a-status-source=agent).
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { requireMosquitto, startMosquitto, waitFor, type MosquittoHandle } from "@a2a/testing";
import { SpecRequester } from "./fixtures/spec-requester.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/profile-agent.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

describe.runIf(requireMosquitto())("presence on the EMQX profile (mosquitto)", () => {
  let broker: MosquittoHandle;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    broker = await startMosquitto();
  });

  afterAll(async () => {
    child?.kill("SIGKILL");
    await broker?.close();
  });

  it("a SIGKILLed agent's will leaves its card retained with a2a-status=offline, a2a-status-source=lwt", async () => {
    const watcher = await SpecRequester.connect({ url: broker.url });
    await watcher.subscribe("$a2a/v1/discovery/acme/plant1/+");
    const topic = "$a2a/v1/discovery/acme/plant1/killed";
    const proc = spawn(process.execPath, ["--conditions=@a2a/source", "--import", "tsx", FIXTURE, broker.url, "killed"], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    child = proc;
    let out = "";
    proc.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
    await waitFor(() => out.includes("ready"), { timeoutMs: 20_000, message: "the agent process to start" });
    const online = await waitFor(() => watcher.messages.find((m) => m.topic === topic && m.userProperties["a2a-status"] === "online"), { message: "the online card" });
    expect(online.userProperties["a2a-status-source"]).toBe("agent");
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    proc.kill("SIGKILL");
    await exited;
    const will = await waitFor(() => watcher.messages.find((m) => m.topic === topic && m.userProperties["a2a-status"] === "offline"), {
      timeoutMs: 10_000,
      message: "the will",
    });
    expect(will.userProperties["a2a-status-source"]).toBe("lwt");
    // The will is the same card (its payload fixed at CONNECT time).
    expect((will.body as { name: string }).name).toBe((online.body as { name: string }).name);
    // A subscriber arriving later finds the offline card retained.
    const late = await SpecRequester.connect({ url: broker.url });
    await late.subscribe(topic);
    const retained = await waitFor(() => late.messages.find((m) => m.topic === topic), { message: "the retained card" });
    expect(retained.retain).toBe(true);
    expect(retained.userProperties).toMatchObject({ "a2a-status": "offline", "a2a-status-source": "lwt" });
    await late.close();
    await watcher.close();
  });

  it("a graceful stop republishes the card offline with a2a-status-source=agent", async () => {
    const watcher = await SpecRequester.connect({ url: broker.url });
    const topic = "$a2a/v1/discovery/acme/plant1/graceful";
    await watcher.subscribe(topic);
    const agent = new A2AAgent({ orgId: "acme", agentId: "graceful", name: "G", description: "g", broker: broker.url, emqx: { unit: "plant1" } });
    agent.registerTool(function echo() {
      return "x";
    });
    await agent.start();
    await waitFor(() => watcher.messages.find((m) => m.topic === topic && m.userProperties["a2a-status"] === "online"), { message: "the online card" });
    await agent.stop({ gracePeriodMs: 100 });
    const offline = await waitFor(() => watcher.messages.find((m) => m.topic === topic && m.userProperties["a2a-status"] === "offline"), { message: "the offline card" });
    expect(offline.userProperties["a2a-status-source"]).toBe("agent");
    await watcher.close();
  });

  it("republishes the retained card after a broker restart that lost it", async () => {
    const topic = "$a2a/v1/discovery/acme/plant1/phoenix";
    const agent = new A2AAgent({ orgId: "acme", agentId: "phoenix", name: "P", description: "p", broker: broker.url, emqx: { unit: "plant1" }, onError: () => undefined });
    agent.registerTool(function echo() {
      return "x";
    });
    await agent.start();
    try {
      await broker.restart();
      // No persistence: the retained card is gone until the agent, reconnected, publishes it again.
      const card = await waitFor(async () => {
        const watcher = await SpecRequester.connect({ url: broker.url });
        try {
          await watcher.subscribe(topic);
          return await waitFor(() => watcher.messages.find((m) => m.topic === topic && m.retain), { timeoutMs: 300 }).catch(() => undefined);
        } finally {
          await watcher.close();
        }
      }, { timeoutMs: 15_000, message: "the republished card" });
      expect(card.userProperties).toMatchObject({ "a2a-status": "online", "a2a-status-source": "agent" });
    } finally {
      await agent.stop({ gracePeriodMs: 100 });
    }
  });
});
