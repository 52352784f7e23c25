import { startAedes } from "@a2a/testing";
import { MqttTransport } from "@a2a/transport/mqtt";
import { abstractTransportContract } from "./contract/abstract-transport-contract.js";

abstractTransportContract("MqttTransport on aedes (MQTT 3.1.1, protocol auto-detected)", async () => {
  const broker = await startAedes({ persistence: true });
  return {
    create: (options = {}) =>
      new MqttTransport({ url: broker.url, reconnect: { initialDelayMs: 20, maxDelayMs: 200 }, ...options }),
    kill: (transport) => (transport as MqttTransport).simulateConnectionLoss(),
    restartBroker: () => broker.restart(),
    close: () => broker.close(),
  };
});
