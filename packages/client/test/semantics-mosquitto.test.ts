import { describe } from "vitest";
import { requireMosquitto, startMosquitto } from "@a2a/testing";
import { MqttTransport } from "@a2a/transport/mqtt";
import type { Transport } from "@a2a/transport";
import { semanticsSuite } from "./semantics/semantics-suite.js";

// Under CI=true a missing mosquitto fails the run instead of skipping it.
describe.runIf(requireMosquitto())("on mosquitto", () => {
  semanticsSuite("mosquitto (MQTT 5, real sockets)", async () => {
    const mosquitto = await startMosquitto();
    const raws: Transport[] = [];
    return {
      agentBroker: () => mosquitto.url,
      clientBroker: () => mosquitto.url,
      rawTransport: async () => {
        const t = new MqttTransport({ url: mosquitto.url, clean: true });
        raws.push(t);
        await t.connect();
        return t;
      },
      mqtt5: true,
      close: async () => {
        await Promise.allSettled(raws.map((t) => t.close()));
        await mosquitto.close();
      },
    };
  });
});
