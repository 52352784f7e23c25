import { startAedes } from "@a2a/testing";
import { MqttTransport } from "@a2a/transport/mqtt";
import type { Transport } from "@a2a/transport";
import { semanticsSuite } from "./semantics/semantics-suite.js";

// aedes speaks MQTT 3.1.1 only: replies are routed by the `replyTo` member and no
// PUBACK reason codes exist.
semanticsSuite("aedes (MQTT 3.1.1, real sockets)", async () => {
  const aedes = await startAedes();
  const raws: Transport[] = [];
  return {
    agentBroker: () => aedes.url,
    clientBroker: () => aedes.url,
    rawTransport: async () => {
      const t = new MqttTransport({ url: aedes.url, clean: true });
      raws.push(t);
      await t.connect();
      return t;
    },
    mqtt5: false,
    close: async () => {
      await Promise.allSettled(raws.map((t) => t.close()));
      await aedes.close();
    },
  };
});
