import { InMemoryBroker, InMemoryTransport, type Transport } from "@a2a/transport";
import { semanticsSuite } from "./semantics/semantics-suite.js";

for (const protocolVersion of [5, 4] as const) {
  semanticsSuite(`in-memory broker, MQTT ${protocolVersion}`, async () => {
    const broker = new InMemoryBroker();
    const transports: Transport[] = [];
    const make = () => {
      const t = new InMemoryTransport({ broker, protocolVersion });
      transports.push(t);
      return t;
    };
    return {
      agentBroker: make,
      clientBroker: make,
      rawTransport: async () => {
        const t = make();
        await t.connect();
        return t;
      },
      mqtt5: protocolVersion === 5,
      close: async () => {
        await Promise.allSettled(transports.map((t) => t.close()));
      },
    };
  });
}
