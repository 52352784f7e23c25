import {
  AgentCard,
  CancelTaskRequest,
  DeleteTaskPushNotificationConfigRequest,
  GetExtendedAgentCardRequest,
  GetTaskPushNotificationConfigRequest,
  GetTaskRequest,
  ListTaskPushNotificationConfigsRequest,
  ListTaskPushNotificationConfigsResponse,
  ListTasksRequest,
  ListTasksResponse,
  SendMessageRequest,
  SendMessageResponse,
  StreamResponse,
  SubscribeToTaskRequest,
  Task,
  TaskPushNotificationConfig,
  type SendMessageResult,
} from "@a2a-js/sdk";
import type { RequestOptions, Transport, TransportFactory } from "@a2a-js/sdk/client";
import { fromJsonRpcErrorResponse } from "@a2a-js/sdk/errors";
import type { A2AClient, RawReply } from "@a2a/client";
import { BINDING_URI, HEADER_VERSION, PROTOCOL_VERSION } from "@a2a/transport/binding";

type Codec<T> = { toJSON(value: T): unknown; fromJSON(value: never): T };

/**
 * A `TransportFactory` for the SDK's `ClientFactory`: agents whose card lists the MQTT
 * binding (`urn:a2a-mqtt:binding:mqtt:v1`) are called over one shared `A2AClient`.
 * @example
 * const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
 *   transports: [new MqttTransportFactory({ client })],
 * }));
 * const sdkClient = await factory.createFromAgentCard(card);
 */
export class MqttTransportFactory implements TransportFactory {
  readonly #client: A2AClient;

  constructor(options: { client: A2AClient }) {
    this.#client = options.client;
  }

  get protocolName(): string {
    return BINDING_URI;
  }

  async create(url: string, _agentCard: AgentCard): Promise<Transport> {
    const match = /^mqtt:\/\/([^/]+)\/([^/]+)\/?$/.exec(url);
    if (!match) throw new TypeError(`${url} is not an MQTT agent URL (mqtt://{org}/{agent}).`);
    return new MqttSdkTransport(this.#client, `${match[1]}/${match[2]}`);
  }
}

/** The SDK's `Transport` over MQTT: SDK objects to ProtoJSON and back, the wire through `@a2a/client`. */
export class MqttSdkTransport implements Transport {
  constructor(
    readonly client: A2AClient,
    /** `org/agent` */
    readonly agentId: string,
  ) {}

  get protocolName(): string {
    return BINDING_URI;
  }

  get protocolVersion(): string {
    return PROTOCOL_VERSION;
  }

  /** `params` as `request` encodes them, the result as `result` decodes it. */
  async #call<P, R>({ method, request, result }: { method: string; request: Codec<P>; result: Codec<R> }, params: P, options?: RequestOptions): Promise<R> {
    const raw = await this.client.rawRequests();
    const reply = await raw.call({ agentId: this.agentId, method, params: request.toJSON(params), options: callOptions(options) });
    return result.fromJSON(resultOf(reply) as never);
  }

  async *#stream<P>({ method, request }: { method: string; request: Codec<P> }, params: P, options?: RequestOptions): AsyncGenerator<StreamResponse, void, undefined> {
    const raw = await this.client.rawRequests();
    for await (const reply of raw.stream({ agentId: this.agentId, method, params: request.toJSON(params), options: callOptions(options) })) {
      yield StreamResponse.fromJSON(resultOf(reply));
    }
  }

  getExtendedAgentCard(params: GetExtendedAgentCardRequest, options?: RequestOptions): Promise<AgentCard> {
    return this.#call({ method: "GetExtendedAgentCard", request: GetExtendedAgentCardRequest, result: AgentCard }, params, options);
  }

  async sendMessage(params: SendMessageRequest, options?: RequestOptions): Promise<SendMessageResult> {
    const response = await this.#call({ method: "SendMessage", request: SendMessageRequest, result: SendMessageResponse }, params, options);
    if (!response.payload) throw new Error("Invalid response: the agent's SendMessage result has neither task nor message");
    return response.payload.value;
  }

  sendMessageStream(params: SendMessageRequest, options?: RequestOptions): AsyncGenerator<StreamResponse, void, undefined> {
    return this.#stream({ method: "SendStreamingMessage", request: SendMessageRequest }, params, options);
  }

  createTaskPushNotificationConfig(params: TaskPushNotificationConfig, options?: RequestOptions): Promise<TaskPushNotificationConfig> {
    return this.#call({ method: "CreateTaskPushNotificationConfig", request: TaskPushNotificationConfig, result: TaskPushNotificationConfig }, params, options);
  }

  getTaskPushNotificationConfig(params: GetTaskPushNotificationConfigRequest, options?: RequestOptions): Promise<TaskPushNotificationConfig> {
    return this.#call({ method: "GetTaskPushNotificationConfig", request: GetTaskPushNotificationConfigRequest, result: TaskPushNotificationConfig }, params, options);
  }

  listTaskPushNotificationConfig(
    params: ListTaskPushNotificationConfigsRequest,
    options?: RequestOptions,
  ): Promise<ListTaskPushNotificationConfigsResponse> {
    return this.#call({ method: "ListTaskPushNotificationConfigs", request: ListTaskPushNotificationConfigsRequest, result: ListTaskPushNotificationConfigsResponse }, params, options);
  }

  async deleteTaskPushNotificationConfig(params: DeleteTaskPushNotificationConfigRequest, options?: RequestOptions): Promise<void> {
    const raw = await this.client.rawRequests();
    const reply = await raw.call({
      agentId: this.agentId,
      method: "DeleteTaskPushNotificationConfig",
      params: DeleteTaskPushNotificationConfigRequest.toJSON(params),
      options: callOptions(options),
    });
    resultOf(reply);
  }

  getTask(params: GetTaskRequest, options?: RequestOptions): Promise<Task> {
    return this.#call({ method: "GetTask", request: GetTaskRequest, result: Task }, params, options);
  }

  cancelTask(params: CancelTaskRequest, options?: RequestOptions): Promise<Task> {
    return this.#call({ method: "CancelTask", request: CancelTaskRequest, result: Task }, params, options);
  }

  listTasks(params: ListTasksRequest, options?: RequestOptions): Promise<ListTasksResponse> {
    return this.#call({ method: "ListTasks", request: ListTasksRequest, result: ListTasksResponse }, params, options);
  }

  resubscribeTask(params: SubscribeToTaskRequest, options?: RequestOptions): AsyncGenerator<StreamResponse, void, undefined> {
    return this.#stream({ method: "SubscribeToTask", request: SubscribeToTaskRequest }, params, options);
  }
}

function callOptions(options: RequestOptions | undefined): { serviceParams: Record<string, string>; signal?: AbortSignal } {
  const serviceParams = { [HEADER_VERSION]: PROTOCOL_VERSION, ...options?.serviceParameters };
  return options?.signal ? { serviceParams, signal: options.signal } : { serviceParams };
}

/** The result of a reply; an agent's JSON-RPC error as the SDK's own error class. */
function resultOf(reply: RawReply): unknown {
  if ("error" in reply) throw fromJsonRpcErrorResponse({ jsonrpc: "2.0", id: null, error: reply.error } as never);
  return reply.result;
}
