import { AgentCard as SdkAgentCard } from "@a2a-js/sdk";
import {
  DefaultRequestHandler,
  InMemoryTaskStore,
  JsonRpcTransportHandler,
  ServerCallContext,
  type A2ARequestHandler,
  type AgentExecutor,
  type TaskStore,
  type User,
} from "@a2a-js/sdk/server";
import { A2AAgent, type A2AAgentOptions } from "@a2a/agent";
import { type AgentCard, type StreamResponse, A2AProtocolError } from "@a2a/schema";
import type { Transport } from "@a2a/transport";
import { requestedExtensions, type ServiceParams } from "@a2a/transport/binding";
import { forwardingOperations, type Forwarder } from "../expose/forwarder.js";

export interface ServeSdkAgentOptions {
  broker: string | Transport;
  /** `{org}/{agent}` on the broker. */
  id: string;
  /** An SDK request handler (e.g. a `DefaultRequestHandler`); or give `agentCard` and `executor`. */
  requestHandler?: A2ARequestHandler;
  /** The SDK agent card (its ts-proto form, as SDK samples write it). */
  agentCard?: SdkAgentCard;
  /** The SDK executor, run by a `DefaultRequestHandler` over `taskStore`. */
  executor?: AgentExecutor;
  /** @default a new SDK InMemoryTaskStore */
  taskStore?: TaskStore;
  /** The SDK user of a request, from its service parameters (`a2a-authorization`, ...). @default unauthenticated */
  user?: (serviceParams: ServiceParams) => User | undefined | Promise<User | undefined>;
  topicPrefix?: string;
  mqtt?: A2AAgentOptions["mqtt"];
  onError?: (error: unknown) => void;
}

export interface ServedSdkAgent {
  readonly agent: A2AAgent;
  /** Clears the card from the broker and stops serving. */
  close(): Promise<void>;
}

/**
 * Serves an agent written for @a2a-js/sdk on the broker, its executor unchanged: the
 * card is announced with the MQTT interface, each MQTT request passes the request
 * intake of `@a2a/agent` and then the SDK's own JSON-RPC handler.
 * @example
 * const served = await serveSdkAgent({ broker: "mqtt://localhost:1883", id: "acme/helper", agentCard, executor });
 */
export async function serveSdkAgent(options: ServeSdkAgentOptions): Promise<ServedSdkAgent> {
  const handler = options.requestHandler ?? defaultHandler(options);
  const card = SdkAgentCard.toJSON(await handler.getAgentCard()) as AgentCard;
  const [orgId, agentId] = options.id.split("/") as [string, string];
  const agent = new A2AAgent({
    orgId,
    agentId,
    name: card.name,
    description: card.description,
    broker: options.broker,
    card,
    operations: forwardingOperations(sdkForwarder(new JsonRpcTransportHandler(handler), options.user)),
    ...(options.topicPrefix === undefined ? {} : { topicPrefix: options.topicPrefix }),
    ...(options.mqtt === undefined ? {} : { mqtt: options.mqtt }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
  await agent.start();
  return { agent, close: () => agent.stop() };
}

function defaultHandler(options: ServeSdkAgentOptions): A2ARequestHandler {
  if (options.agentCard === undefined || options.executor === undefined) {
    throw new TypeError("serveSdkAgent needs a requestHandler, or an agentCard and an executor.");
  }
  return new DefaultRequestHandler(options.agentCard, options.taskStore ?? new InMemoryTaskStore(), options.executor);
}

type JsonRpcAnswer = { result?: unknown; error?: { code: number; message: string; data?: unknown } };

/** The SDK's JSON-RPC handler, in process, as a {@link Forwarder}. */
function sdkForwarder(rpc: JsonRpcTransportHandler, userOf: ServeSdkAgentOptions["user"]): Forwarder {
  let nextId = 1;
  const context = async (serviceParams: ServiceParams) => {
    const user = await userOf?.(serviceParams);
    return new ServerCallContext({ requestedVersion: "1.0", requestedExtensions: requestedExtensions(serviceParams), ...(user ? { user } : {}) });
  };
  const handle = async (method: string, params: unknown, serviceParams: ServiceParams) =>
    rpc.handle({ jsonrpc: "2.0", id: nextId++, method, params: params as Record<string, unknown> }, await context(serviceParams));
  return {
    async call(method, params, serviceParams) {
      const answer = (await handle(method, params, serviceParams)) as JsonRpcAnswer;
      if (answer.error !== undefined) throw new A2AProtocolError(answer.error);
      return method === "DeleteTaskPushNotificationConfig" ? {} : answer.result;
    },
    async *stream(method, params, serviceParams) {
      const answer = await handle(method, params, serviceParams);
      if (!(Symbol.asyncIterator in answer)) {
        const single = answer as JsonRpcAnswer;
        if (single.error !== undefined) throw new A2AProtocolError(single.error);
        yield single.result as StreamResponse;
        return;
      }
      try {
        for await (const frame of answer as AsyncIterable<JsonRpcAnswer>) {
          if (frame.error !== undefined) throw new A2AProtocolError(frame.error);
          yield frame.result as StreamResponse;
        }
      } catch (error) {
        if (error instanceof A2AProtocolError) throw error;
        throw new A2AProtocolError(JsonRpcTransportHandler.mapToJSONRPCError(error));
      }
    },
  };
}
