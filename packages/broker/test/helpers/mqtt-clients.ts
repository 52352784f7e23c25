import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from "mqtt";
import { waitFor } from "@a2a/testing";

export interface BrokerUnderTest {
  url: string;
  /** 4 for aedes (MQTT 3.1.1), 5 for mosquitto. */
  protocolVersion: 4 | 5;
  /** Extra connect options, e.g. TLS material. */
  connectOptions?: IClientOptions;
}

const open = new Set<MqttClient>();

/**
 * The client id a user's connection uses unless told otherwise: an agent `org/agent`
 * its agent's `a2a-agent.{org}.{agent}`, anyone else its username.
 */
export function ownClientId(username: string): string {
  const [org, agent] = username.split("/");
  return agent === undefined ? username : `a2a-agent.${org}.${agent}`;
}

/** Connects a plain mqtt.js client with TCP_NODELAY; closed by `closeAll()`. */
export async function connectAs(
  broker: BrokerUnderTest,
  { username, password }: { username?: string | undefined; password?: string | undefined },
  {
    beforeConnect,
    ...options
  }: IClientOptions & {
    /** Called before connecting, e.g. to collect the messages queued in a session, which arrive right after CONNACK. */
    beforeConnect?: ((client: MqttClient) => void) | undefined;
  } = {},
): Promise<MqttClient> {
  const client = connect(broker.url, {
    protocolVersion: broker.protocolVersion,
    clientId: username ? ownClientId(username) : `c-${Math.random().toString(16).slice(2)}`,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    ...broker.connectOptions,
    ...options,
    manualConnect: true,
  });
  beforeConnect?.(client);
  await new Promise<void>((resolve, reject) => {
    client.once("connect", () => resolve());
    client.once("error", (error) => {
      client.end(true);
      reject(error);
    });
    client.connect();
  });
  (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  open.add(client);
  return client;
}

export async function closeAll(): Promise<void> {
  const clients = [...open];
  open.clear();
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
}

/** The granted QoS (or failure code, 0x80 or more) of one subscription. */
export async function subscribeCode(client: MqttClient, topic: string, qos: 0 | 1 = 1): Promise<number> {
  try {
    const granted = await client.subscribeAsync(topic, { qos });
    return granted[0]?.qos ?? -1;
  } catch (error) {
    // mqtt.js rejects a SUBACK whose only code is a failure; the code is on the packet.
    const granted = (error as { packet?: { granted?: Array<number | { qos: number }> } }).packet?.granted?.[0];
    if (granted === undefined) throw error;
    return typeof granted === "number" ? granted : granted.qos;
  }
}

/** Collects every message a client receives. */
export function collect(client: MqttClient): Array<{ topic: string; payload: string; retain: boolean }> {
  const messages: Array<{ topic: string; payload: string; retain: boolean }> = [];
  client.on("message", (topic, payload, packet: IPublishPacket) => messages.push({ topic, payload: payload.toString(), retain: packet.retain }));
  return messages;
}

/**
 * Publishes and returns the PUBACK outcome: "acked", or the MQTT 5 reason code of a
 * refusal (e.g. 0x87 not authorised), or "closed" when the broker dropped the connection.
 */
export async function publishOutcome(client: MqttClient, { topic, payload, retain = false }: { topic: string; payload: string; retain?: boolean }): Promise<"acked" | number> {
  try {
    await client.publishAsync(topic, payload, { qos: 1, retain });
    return "acked";
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (typeof code === "number") return code;
    throw error;
  }
}

/** Waits until `messages` holds one with this topic and payload. */
export function waitForMessage(
  messages: ReadonlyArray<{ topic: string; payload: string }>,
  { topic, payload, timeoutMs = 5_000 }: { topic: string; payload: string; timeoutMs?: number },
) {
  return waitFor(() => messages.find((m) => m.topic === topic && m.payload === payload), {
    timeoutMs,
    message: `message ${JSON.stringify(payload)} on ${topic}`,
  });
}
