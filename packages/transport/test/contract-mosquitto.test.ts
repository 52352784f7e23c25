import { describe } from "vitest";
import { requireMosquitto, startMosquitto } from "@a2a/testing";
import { MqttTransport } from "@a2a/transport/mqtt";
import { abstractTransportContract } from "./contract/abstract-transport-contract.js";

// Fails under CI=true when mosquitto is missing; elsewhere the suite is left out.
describe.runIf(requireMosquitto())("mosquitto", () => {
  abstractTransportContract("MqttTransport on mosquitto (MQTT 5)", async () => {
    const broker = await startMosquitto({ persistence: true });
    return {
      create: (options = {}) =>
        new MqttTransport({ url: broker.url, protocolVersion: 5, reconnect: { initialDelayMs: 20, maxDelayMs: 200 }, ...options }),
      kill: (transport) => (transport as MqttTransport).simulateConnectionLoss(),
      restartBroker: () => broker.restart(),
      close: () => broker.close(),
    };
  });
});
