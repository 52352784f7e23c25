import type { Transport } from "@a2a/transport";
import { MqttTransport } from "@a2a/transport/mqtt";
import type { SemanticsEnv } from "./semantics-suite.js";

/** A broker the suite reaches over real sockets, as @a2a/testing starts them. */
interface RunningBroker {
  url: string;
  close(): Promise<void>;
}

/**
 * The suite's environment on a running broker: agents and clients connect to its URL,
 * raw transports are MqttTransports, and `close()` closes them and then the broker.
 */
export function brokerEnv(broker: RunningBroker, options: { mqtt5: boolean }): SemanticsEnv {
  const raws: Transport[] = [];
  return {
    agentBroker: () => broker.url,
    clientBroker: () => broker.url,
    rawTransport: async () => {
      const t = new MqttTransport({ url: broker.url, clean: true });
      raws.push(t);
      await t.connect();
      return t;
    },
    mqtt5: options.mqtt5,
    close: async () => {
      await Promise.allSettled(raws.map((t) => t.close()));
      await broker.close();
    },
  };
}
