import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore, type AgentExecutor } from "@a2a-js/sdk/server";
import { agentCardHandler, jsonRpcHandler, restHandler, UserBuilder } from "@a2a-js/sdk/server/express";
import { TaskState, type AgentCard } from "@a2a-js/sdk";

const status = (state: TaskState) => ({ state, message: undefined, timestamp: new Date().toISOString() });

/**
 * An executor in the style of the SDK's samples: publishes the Task, a working update,
 * an artifact echoing the text and the final status; "wait" works until cancelled.
 */
export function sdkEchoExecutor(): AgentExecutor & { cancelled: Set<string> } {
  const cancelled = new Set<string>();
  const waiting = new Map<string, () => void>();
  return {
    cancelled,
    async execute(ctx, bus) {
      const { taskId, contextId, userMessage } = ctx;
      const text = userMessage.parts.map((p) => (p.content?.$case === "text" ? p.content.value : "")).join("");
      if (!ctx.task) bus.publish(AgentEvent.task({ id: taskId, contextId, status: status(TaskState.TASK_STATE_SUBMITTED), artifacts: [], history: [userMessage], metadata: undefined }));
      bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: status(TaskState.TASK_STATE_WORKING), metadata: undefined }));
      if (text === "wait") {
        await new Promise<void>((resolve) => waiting.set(taskId, resolve));
        bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: status(TaskState.TASK_STATE_CANCELED), metadata: undefined }));
        bus.finished();
        return;
      }
      bus.publish(
        AgentEvent.artifactUpdate({
          taskId,
          contextId,
          artifact: { artifactId: "echo", name: "echo", description: "", parts: [{ content: { $case: "text", value: `SDK echo: ${text}` }, metadata: undefined, filename: "", mediaType: "text/plain" }], metadata: undefined, extensions: [] },
          append: false,
          lastChunk: true,
          metadata: undefined,
        }),
      );
      bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: status(TaskState.TASK_STATE_COMPLETED), metadata: undefined }));
      bus.finished();
    },
    async cancelTask(taskId) {
      cancelled.add(taskId);
      waiting.get(taskId)?.();
    },
  };
}

export function sdkCard(interfaces: AgentCard["supportedInterfaces"]): AgentCard {
  return {
    name: "SDK Echo",
    description: "An agent written for @a2a-js/sdk",
    supportedInterfaces: interfaces,
    provider: undefined,
    version: "1.0.0",
    capabilities: { streaming: true, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["text/plain"],
    skills: [{ id: "echo", name: "echo", description: "echoes", tags: ["echo"], examples: [], inputModes: [], outputModes: [], securityRequirements: [] }],
    signatures: [],
  };
}

/** The SDK's own HTTP server (express) with JSON-RPC at /jsonrpc and HTTP+JSON at /rest. */
export async function startSdkHttpAgent(): Promise<{ base: string; cardUrl: string; stop(): Promise<void> }> {
  const app = express();
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("error", reject);
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const card = sdkCard([
    { url: `${base}/jsonrpc`, protocolBinding: "JSONRPC", tenant: "", protocolVersion: "1.0" },
    { url: `${base}/rest`, protocolBinding: "HTTP+JSON", tenant: "", protocolVersion: "1.0" },
  ]);
  const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), sdkEchoExecutor());
  app.use("/.well-known/agent-card.json", agentCardHandler({ agentCardProvider: handler }));
  app.use("/jsonrpc", jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
  app.use("/rest", restHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
  return {
    base,
    cardUrl: `${base}/.well-known/agent-card.json`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
