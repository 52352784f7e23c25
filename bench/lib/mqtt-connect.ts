import type { Socket } from "node:net";
import mqtt, { type MqttClient } from "mqtt";

/**
 * Connects a bare mqtt.js client. mqtt.js leaves Nagle's algorithm on, which
 * adds up to 40 ms to small request/reply exchanges, so TCP_NODELAY is set on the
 * socket as soon as it is connected.
 */
export async function connectBare(url: string, protocolVersion: 4 | 5, clientId: string): Promise<MqttClient> {
  const client = mqtt.connect(url, { protocolVersion, clientId, clean: true, reconnectPeriod: 0 });
  client.on("connect", () => (client.stream as Socket).setNoDelay?.(true));
  await new Promise<void>((resolve, reject) => {
    client.once("connect", () => resolve());
    client.once("error", reject);
  });
  return client;
}
