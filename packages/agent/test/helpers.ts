import { InMemoryBroker, InMemoryTransport, type InboundMessage, type Transport } from "@a2a/transport";
import { decodeReplies, encodeRequest, type DecodedReply, type JsonRpcId } from "@a2a/transport/binding";
import { waitFor } from "@a2a/testing";
import { A2AAgent, type A2AAgentOptions } from "@a2a/agent";

/** A minimal JSON-RPC requester over a Transport, built on the binding only. */
export class TestRequester {
  readonly replies: DecodedReply[] = [];
  readonly raw: InboundMessage[] = [];
  readonly replyTopic: string;
  #next = 1;

  constructor(
    readonly transport: Transport,
    readonly options: { agentTopic: string; messageProperties: boolean; inbox?: string },
  ) {
    this.replyTopic = `replies/${transport.clientId}/${options.inbox ?? "inbox"}`;
  }

  async start(): Promise<this> {
    await this.transport.subscribe(this.replyTopic, (message) => {
      this.raw.push(message);
      const decoded = decodeReplies(message);
      if (decoded.ok) this.replies.push(...decoded.replies);
    });
    return this;
  }

  /** Publishes a request; returns its id. */
  async send(method: string, params?: unknown, options: { id?: JsonRpcId; replyTopic?: string | null; extensions?: string[] } = {}): Promise<JsonRpcId> {
    const id = options.id === undefined ? `r${this.#next++}` : options.id;
    const request: Record<string, unknown> = { jsonrpc: "2.0", id, method };
    if (params !== undefined) request.params = params;
    const encodeOptions: Parameters<typeof encodeRequest>[0] = {
      request,
      messageProperties: this.options.messageProperties,
      serviceParams: { "A2A-Version": "1.0", ...(options.extensions === undefined ? {} : { "A2A-Extensions": options.extensions.join(",") }) },
    };
    if (options.replyTopic !== null) encodeOptions.replyTopic = options.replyTopic ?? this.replyTopic;
    const encoded = encodeRequest(encodeOptions);
    await this.transport.publish(this.options.agentTopic, encoded.payload, encoded.options);
    return id;
  }

  async publishRaw(payload: string, properties: InboundMessage["properties"] = {}): Promise<void> {
    await this.transport.publish(this.options.agentTopic, payload, { qos: 1, properties });
  }

  repliesFor(id: JsonRpcId): DecodedReply[] {
    return this.replies.filter((r) => r.id === id);
  }

  /** Sends and waits for the single reply. */
  async call(method: string, params?: unknown, options: { id?: JsonRpcId; timeoutMs?: number } = {}): Promise<DecodedReply> {
    const id = await this.send(method, params, options);
    return waitFor(() => this.repliesFor(id)[0], { message: `reply to ${method} ${JSON.stringify(id)}`, timeoutMs: options.timeoutMs ?? 5000 });
  }

  /** Waits until the stream with `id` has its final frame; returns all its frames. */
  async frames(id: JsonRpcId, timeoutMs = 5000): Promise<DecodedReply[]> {
    await waitFor(() => this.repliesFor(id).some((r) => r.final), { message: `final frame of ${JSON.stringify(id)}`, timeoutMs });
    return this.repliesFor(id);
  }

  async stream(method: string, params?: unknown): Promise<DecodedReply[]> {
    return this.frames(await this.send(method, params));
  }
}

export interface Harness {
  agent: A2AAgent;
  broker: InMemoryBroker;
  client: TestRequester;
  errors: unknown[];
  /** A second requester on its own connection. */
  newClient(): Promise<TestRequester>;
  close(): Promise<void>;
}

/** An agent on an InMemoryTransport and a requester, both on one in-memory broker. */
export async function harness(
  configure: (agent: A2AAgent) => void,
  options: Partial<Omit<A2AAgentOptions, "broker">> & { protocolVersion?: 4 | 5 } = {},
): Promise<Harness> {
  const broker = new InMemoryBroker();
  const protocolVersion = options.protocolVersion ?? 5;
  const errors: unknown[] = [];
  const agentTransport = new InMemoryTransport({ broker, clientId: "agent-conn", protocolVersion });
  const agent = new A2AAgent({
    orgId: "org",
    agentId: "agent",
    name: "Test Agent",
    description: "An agent under test",
    onError: (e) => errors.push(e),
    ...options,
    broker: agentTransport,
  });
  configure(agent);
  await agent.start();
  const clients: Transport[] = [agentTransport];
  let n = 0;
  const newClient = async (): Promise<TestRequester> => {
    const t = new InMemoryTransport({ broker, clientId: `client-${n++}`, protocolVersion, clean: true });
    clients.push(t);
    await t.connect();
    return new TestRequester(t, { agentTopic: agent.tasksTopic, messageProperties: protocolVersion === 5 }).start();
  };
  const client = await newClient();
  return {
    agent,
    broker,
    client,
    errors,
    newClient,
    async close() {
      await agent.stop({ gracePeriodMs: 100 });
      for (const t of clients) await t.close();
    },
  };
}

let messageCounter = 0;

/** SendMessage params for a user text message. */
export function textMessage(text: string, extra: Record<string, unknown> = {}, configuration?: Record<string, unknown>) {
  const params: Record<string, unknown> = {
    message: { messageId: `m-${++messageCounter}-${Date.now()}`, role: "ROLE_USER", parts: [{ text }], ...extra },
  };
  if (configuration !== undefined) params.configuration = configuration;
  return params;
}

/** The seed README's compact Task Request (its inventory-check example). */
export const seedRequest = {
  id: "req-123",
  taskId: "task-abc-789",
  operation: "inventory-check",
  timestamp: "2024-01-01T12:00:00Z",
  params: { message: { role: "user", content: { parts: [{ data: { product_id: "WIDGET-A" } }] } } },
};

/** A promise and its resolver, for handlers that wait for the test. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
