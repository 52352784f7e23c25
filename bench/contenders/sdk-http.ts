import { Role, TaskState } from "@a2a-js/sdk";
import { ClientFactory, ClientFactoryOptions, JsonRpcTransportFactory } from "@a2a-js/sdk/client";
import { Agent, fetch as undiciFetch } from "undici";
import { startServer, type Layout, type ServerHandle } from "../lib/server.js";
import { DATA_4K, TEXT_100B, type PayloadKind } from "../lib/payloads.js";
import type { Contender } from "./contender.js";

const CONNECT_TIMEOUT_MS = 120_000;

/** @a2a-js/sdk: its ClientFactory JSON-RPC client against its server (child process). */
export async function sdkHttp(layout: Layout): Promise<Contender> {
  const server = await startServer("sdk-server", {}, layout);
  try {
    return await sdkClientContender({ id: "sdk/http", label: "@a2a-js/sdk HTTP", family: "sdk", server, cardUrl: String(server.info.url), path: undefined });
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** The SendMessageRequest of the echo workload, as the SDK's client takes it. */
export function sdkRequest(kind: PayloadKind, stream: boolean, messageId: string) {
  return {
    tenant: "",
    message: {
      messageId,
      contextId: "",
      taskId: "",
      role: Role.ROLE_USER,
      parts: [
        kind === "text"
          ? { content: { $case: "text" as const, value: TEXT_100B }, metadata: undefined, filename: "", mediaType: "text/plain" }
          : { content: { $case: "data" as const, value: DATA_4K }, metadata: undefined, filename: "", mediaType: "application/json" },
      ],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    },
    configuration: undefined,
    metadata: stream ? { stream: true } : undefined,
  };
}

/** What the SDK's client sends for one call of the echo workload to the agent whose card is at `cardUrl`. */
export async function capturedSdkRequest(cardUrl: string, kind: PayloadKind, stream: boolean): Promise<{ body: string; headers: Record<string, string>; messageId: string; rpcId: number }> {
  let sent: { body: string; headers: Record<string, string> } | undefined;
  const fetchImpl = (input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) => {
    if (init?.method === "POST" && typeof init.body === "string") sent = { body: init.body, headers: { ...(init.headers as Record<string, string>) } };
    return undiciFetch(input, init);
  };
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, { transports: [new JsonRpcTransportFactory({ fetchImpl })], preferredTransports: ["JSONRPC"] }),
  );
  const client = await factory.createFromUrl(cardUrl, "");
  const request = sdkRequest(kind, stream, `m-captured-${process.pid}`);
  if (stream) for await (const _ of client.sendMessageStream(request));
  else await client.sendMessage(request);
  if (sent === undefined) throw new Error("The SDK client sent no request body that could be read");
  const parsed = JSON.parse(sent.body) as { id: number; params: { message: { messageId: string } } };
  return { ...sent, messageId: parsed.params.message.messageId, rpcId: parsed.id };
}

/** The SDK's JSON-RPC client doing the echo workload against the card at `cardUrl`. */
export async function sdkClientContender(o: {
  id: string;
  label: string;
  family: Contender["family"];
  server: ServerHandle;
  cardUrl: string;
  /** Card path below `cardUrl` (the SDK default when undefined). */
  path: string | undefined;
  close?: () => Promise<void>;
}): Promise<Contender> {
  // HTTP/1.1 carries one request at a time per connection (undici pipelines no POST), so
  // 10,000 tasks in flight are 10,000 connections, opened at once. Node's own fetch gives
  // up on a connect after 10 s ("fetch failed: Connect Timeout Error") while the server
  // works through them; this pool of keep-alive connections (as Node's fetch) waits longer.
  const dispatcher = new Agent({ connectTimeout: CONNECT_TIMEOUT_MS });
  // undici's own fetch: Node's takes no dispatcher of another copy of undici.
  const fetchImpl = (input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, { ...init, dispatcher });
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl })],
      preferredTransports: ["JSONRPC"],
    }),
  );
  // The card is fetched once.
  const client = await factory.createFromUrl(o.cardUrl, o.path);
  let n = 0;
  const request = (kind: PayloadKind, stream: boolean) => sdkRequest(kind, stream, `m-${process.pid}-${++n}`);

  return {
    id: o.id,
    label: o.label,
    family: o.family,
    server: o.server,
    async send(kind) {
      const result = await client.sendMessage(request(kind, false));
      const state = "status" in result ? result.status?.state : undefined;
      if (state !== TaskState.TASK_STATE_COMPLETED) throw new Error(`SDK task ended in state ${state}`);
    },
    async stream(kind) {
      let events = 0;
      for await (const _ of client.sendMessageStream(request(kind, true))) events++;
      return events;
    },
    async close() {
      await (o.close ?? (() => o.server.stop()))();
      await dispatcher.close();
    },
  };
}
