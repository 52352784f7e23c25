import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { afterAll, afterEach, beforeAll } from "vitest";
import { type AedesHandle, startAedes } from "@a2a/testing";

/**
 * An aedes (no persistence) for the `describe` block this is called in, and `connect`:
 * an mqtt.js client of that broker, ended after the test that made it.
 */
export function aedesClients(): { connect(options: IClientOptions): MqttClient } {
  let aedes: AedesHandle;
  const clients: MqttClient[] = [];
  beforeAll(async () => {
    aedes = await startAedes({ persistence: false });
  });
  afterAll(() => aedes.close());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.endAsync(true)));
  });
  return {
    connect(options) {
      const client = mqtt.connect(aedes.url, options);
      clients.push(client);
      return client;
    },
  };
}
