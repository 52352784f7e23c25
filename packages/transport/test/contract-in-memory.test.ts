import { InMemoryBroker, InMemoryTransport } from "@a2a/transport";
import { abstractTransportContract } from "./contract/abstract-transport-contract.js";

for (const protocolVersion of [5, 4] as const) {
  abstractTransportContract(`InMemoryTransport (MQTT ${protocolVersion === 5 ? "5" : "3.1.1"})`, async () => {
    const broker = new InMemoryBroker({ persistence: true });
    return {
      create: (options = {}) => new InMemoryTransport({ broker, protocolVersion, ...options }),
      kill: (transport) => (transport as InMemoryTransport).simulateConnectionLoss(),
      restartBroker: async () => broker.restart(),
      close: async () => {},
    };
  });
}
