import { randomUUID } from "node:crypto";
import { MqttTransport } from "@a2a/transport/mqtt";
import type { InboundMessage, PublishOptions } from "@a2a/transport";
import { createTopicScheme } from "@a2a/transport";
import { decodeReply, encodeRequest, REPLY_TO_MEMBER } from "@a2a/transport/binding";
import { waitFor } from "@a2a/testing";
import type { AdapterFeatures, ConformanceAdapter, JsonRpcId, Reply, RequestOptions } from "./adapter.js";

export interface MqttAdapterOptions {
  name: string;
  url: string;
  /** MQTT protocol level of the client side: 4 (3.1.1) or 5. */
  protocolVersion: 4 | 5;
  /** `{org}/{agent}` of the agent under test. */
  agent: { orgId: string; agentId: string };
}

/**
 * The conformance adapter for the MQTT binding, written from docs/binding.md with the
 * binding's codecs only (no `@a2a/client`): requests on `{org}/{agent}/tasks`, replies on
 * a private `replies/{clientId}/...` topic, the reply route and service parameters as
 * MQTT 5 properties or, on 3.1.1, as `replyTo` / `serviceParams` members.
 */
export class MqttAdapter implements ConformanceAdapter {
  readonly name: string;
  readonly features: AdapterFeatures;
  readonly #o: MqttAdapterOptions;
  readonly #transport: MqttTransport;
  readonly #replyTopic: string;
  readonly #tasksTopic: string;
  readonly #discoveryTopic: string;
  readonly #replies: Reply[] = [];
  readonly #listeners = new Map<JsonRpcId, (frame: Reply) => void>();
  #next = 0;

  private constructor(options: MqttAdapterOptions) {
    this.#o = options;
    this.name = options.name;
    this.features = { repeatedServiceParams: options.protocolVersion === 5, rawPayloads: true, resumableStreams: true };
    const clientId = `conformance-${randomUUID().slice(0, 8)}`;
    this.#transport = new MqttTransport({ url: options.url, clientId, protocolVersion: options.protocolVersion, clean: true });
    this.#replyTopic = `replies/${clientId}/conformance`;
    const topics = createTopicScheme({ prefix: "" });
    this.#tasksTopic = topics.tasks(options.agent.orgId, options.agent.agentId);
    this.#discoveryTopic = topics.discovery(options.agent.orgId, options.agent.agentId);
  }

  static async connect(options: MqttAdapterOptions): Promise<MqttAdapter> {
    const adapter = new MqttAdapter(options);
    await adapter.#transport.connect();
    await adapter.#transport.subscribe(adapter.#replyTopic, (m) => adapter.#onReply(m), { qos: 1 });
    return adapter;
  }

  get #properties(): boolean {
    return this.#o.protocolVersion === 5;
  }

  async card(): Promise<Record<string, unknown>> {
    let card: Record<string, unknown> | undefined;
    const sub = await this.#transport.subscribe(this.#discoveryTopic, (m) => {
      const text = typeof m.payload === "string" ? m.payload : Buffer.from(m.payload).toString("utf8");
      if (text !== "") card = JSON.parse(text) as Record<string, unknown>;
    }, { qos: 1 });
    try {
      return await waitFor(() => card, { message: "the retained Agent Card", timeoutMs: 5000 });
    } finally {
      await sub.unsubscribe();
    }
  }

  async call(method: string, params?: unknown, options: RequestOptions = {}): Promise<Reply> {
    const from = this.#replies.length;
    const id = await this.#send(method, params, options);
    return this.#first(id, options, from);
  }

  async callWithParams(method: string, params: unknown, { serviceParams, ...options }: RequestOptions & { serviceParams: Array<[string, string]> }): Promise<Reply> {
    if (!this.#properties) throw new Error("repeated service parameters need MQTT 5 user properties");
    const id = options.id ?? this.#id();
    const from = this.#replies.length;
    const request: Record<string, unknown> = { jsonrpc: "2.0", id, method };
    if (params !== undefined) request.params = params;
    // The raw user property list, names possibly repeated: mqtt.js sends an array as repeats.
    const userProperties: Record<string, string | string[]> = {};
    for (const [name, value] of serviceParams) {
      const earlier = userProperties[name];
      userProperties[name] = earlier === undefined ? value : [...(Array.isArray(earlier) ? earlier : [earlier]), value];
    }
    await this.#publish(JSON.stringify(request), {
      qos: 1,
      properties: {
        responseTopic: this.#replyTopic,
        correlationData: new TextEncoder().encode(String(id)),
        userProperties: userProperties as Record<string, string>,
      },
    });
    return this.#first(id, options, from);
  }

  async stream(method: string, params?: unknown, options: RequestOptions = {}): Promise<Reply[]> {
    const id = options.id === undefined ? this.#id() : options.id;
    const from = this.#replies.length;
    if (options.onFrame !== undefined) this.#listeners.set(id, options.onFrame);
    await this.#send(method, params, { ...options, id });
    await waitFor(() => this.#for(id, from).some((r) => r.final === true), {
      message: `the final frame of ${method} ${JSON.stringify(id)}`,
      timeoutMs: options.timeoutMs ?? 5000,
    });
    this.#listeners.delete(id);
    return this.#for(id, from).sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  }

  async sendRaw(payload: string, options: RequestOptions = {}): Promise<Reply> {
    const before = this.#replies.length;
    if (this.#properties) {
      await this.#publish(payload, { qos: 1, properties: { responseTopic: this.#replyTopic } });
    } else {
      // On 3.1.1 the reply route travels inside the payload: only a JSON object can carry it.
      const body = JSON.parse(payload) as Record<string, unknown>;
      await this.#publish(JSON.stringify({ ...body, [REPLY_TO_MEMBER]: this.#replyTopic }), { qos: 1 });
    }
    return waitFor(() => this.#replies[before], { message: "the reply to a raw request", timeoutMs: options.timeoutMs ?? 5000 });
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }

  #id(): string {
    return `c${++this.#next}-${randomUUID().slice(0, 8)}`;
  }

  async #send(method: string, params: unknown, options: RequestOptions): Promise<JsonRpcId> {
    const serviceParams = serviceParamsOf(options);
    const id = options.id === undefined ? this.#id() : options.id;
    const request: Record<string, unknown> = { jsonrpc: "2.0", id, method };
    if (params !== undefined) request.params = params;
    const encoded = encodeRequest({
      request,
      replyTopic: this.#replyTopic,
      serviceParams,
      messageProperties: this.#properties,
      ...(this.#properties ? { correlationData: new TextEncoder().encode(JSON.stringify(id)) } : {}),
    });
    await this.#publish(encoded.payload, encoded.options);
    return id;
  }

  async #publish(payload: string, options: PublishOptions): Promise<void> {
    await this.#transport.publish(this.#tasksTopic, payload, options);
  }

  #onReply(message: InboundMessage): void {
    const decoded = decodeReply(message);
    if (!decoded.ok) return;
    const r = decoded.reply;
    const raw = r.response as unknown as Record<string, unknown>;
    const text = typeof message.payload === "string" ? message.payload : Buffer.from(message.payload).toString("utf8");
    const reply: Reply = { id: r.id, final: r.final, raw: JSON.parse(text) as Record<string, unknown> };
    if (r.result !== undefined || "result" in raw) reply.result = r.result;
    if (r.error !== undefined) reply.error = r.error;
    if (r.seq !== undefined) reply.seq = r.seq;
    this.#replies.push(reply);
    this.#listeners.get(reply.id)?.(reply);
  }

  /** The replies with `id` received since index `from` (ids may be reused on purpose). */
  #for(id: JsonRpcId, from: number): Reply[] {
    return this.#replies.slice(from).filter((r) => r.id === id);
  }

  #first(id: JsonRpcId, options: RequestOptions, from: number): Promise<Reply> {
    return waitFor(() => this.#for(id, from)[0], { message: `the reply to ${JSON.stringify(id)}`, timeoutMs: options.timeoutMs ?? 5000 });
  }
}

function serviceParamsOf(options: RequestOptions): Record<string, string> {
  const out: Record<string, string> = {};
  const version = options.version === undefined ? "1.0" : options.version;
  if (version !== null) out["A2A-Version"] = version;
  if (options.extensions !== undefined) out["A2A-Extensions"] = options.extensions.join(",");
  return out;
}

