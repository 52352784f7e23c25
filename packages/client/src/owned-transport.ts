import type { Logger, Transport } from "@a2a/transport";
import type { MqttTransportOptions } from "@a2a/transport/mqtt";
import type { A2AClientOptions } from "./client-options.js";

/**
 * The MQTT connection a client opens for a broker URL. A stable client id keeps a
 * persistent session (five minutes on MQTT 5); a generated one gets a clean session.
 */
export async function createOwnedTransport(options: A2AClientOptions, clientId: string, logger: Logger): Promise<Transport> {
  // Loaded on demand so that in-process users never load the MQTT library.
  const { MqttTransport } = await import("@a2a/transport/mqtt");
  const stableId = options.clientId !== undefined;
  const transportOptions: MqttTransportOptions = {
    clean: !stableId,
    ...(stableId ? { sessionExpirySeconds: 300 } : {}),
    ...options.mqtt,
    url: options.broker as string,
    clientId,
    logger,
  };
  if (options.username !== undefined) transportOptions.username = options.username;
  if (options.password !== undefined) transportOptions.password = options.password;
  return new MqttTransport(transportOptions);
}
