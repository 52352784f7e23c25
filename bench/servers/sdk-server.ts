/**
 * What users would otherwise pick: @a2a-js/sdk over HTTP JSON-RPC. Its
 * DefaultRequestHandler with InMemoryTaskStore, behind express 5, running an echo
 * AgentExecutor that does the same work as the other contenders' responders.
 */
import type { AddressInfo } from "node:net";
import express from "express";
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore, type AgentExecutor } from "@a2a-js/sdk/server";
import { agentCardHandler, jsonRpcHandler, UserBuilder } from "@a2a-js/sdk/server/express";
import { TaskState, type AgentCard } from "@a2a-js/sdk";
import { STREAM_STATUS_EVENTS } from "../lib/payloads.js";
import { HoldGate } from "../lib/gate.js";
import type { ServerControl, StartedServer } from "../lib/server-control.js";

export const JSONRPC_PATH = "/a2a/jsonrpc";
const LISTEN_BACKLOG = 16_384;

function status(state: TaskState) {
  return { state, message: undefined, timestamp: new Date().toISOString() };
}

export async function start(_env: Record<string, string>, control: ServerControl): Promise<StartedServer> {
  const gate = new HoldGate();
  control.handle("hold", (count) => gate.arm(Number(count)));

  const executor: AgentExecutor = {
    async execute(ctx, bus) {
      const held = gate.pass();
      if (held) await held;
      const { taskId, contextId } = ctx;
      const message = ctx.userMessage;
      bus.publish(
        AgentEvent.task({
          id: taskId,
          contextId,
          status: status(TaskState.TASK_STATE_SUBMITTED),
          artifacts: [],
          history: [message],
          metadata: undefined,
        }),
      );
      if (ctx.request.metadata?.["stream"] === true) {
        for (let i = 0; i < STREAM_STATUS_EVENTS; i++) {
          bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: status(TaskState.TASK_STATE_WORKING), metadata: undefined }));
        }
      }
      bus.publish(
        AgentEvent.artifactUpdate({
          taskId,
          contextId,
          artifact: { artifactId: "echo", name: "echo", description: "", parts: message.parts, metadata: undefined, extensions: [] },
          append: false,
          lastChunk: true,
          metadata: undefined,
        }),
      );
      bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: status(TaskState.TASK_STATE_COMPLETED), metadata: undefined }));
      bus.finished();
    },
    async cancelTask() {},
  };

  const app = express();
  // The scale workload opens 10,000 connections at once: a backlog of Node's default 511
  // drops SYNs, and the client's connects time out (the kernel caps it at somaxconn).
  const server = app.listen(0, "127.0.0.1", LISTEN_BACKLOG);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("error", reject);
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const card: AgentCard = {
    name: "Echo",
    description: "Echoes the message back as an artifact.",
    supportedInterfaces: [{ url: `${base}${JSONRPC_PATH}`, protocolBinding: "JSONRPC", tenant: "", protocolVersion: "1.0" }],
    provider: undefined,
    version: "1.0.0",
    capabilities: { streaming: true, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ["text/plain", "application/json"],
    defaultOutputModes: ["text/plain", "application/json"],
    skills: [],
    signatures: [],
  };
  const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor);
  app.use("/.well-known/agent-card.json", agentCardHandler({ agentCardProvider: handler }));
  app.use(JSONRPC_PATH, jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
  return {
    info: { url: base },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
