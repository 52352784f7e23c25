import type { Broker } from "../lib/brokers.js";
import { startServer, type Layout } from "../lib/server.js";
import type { Contender } from "./contender.js";
import { sdkClientContender } from "./sdk-http.js";

/**
 * The SDK's own HTTP client (the same code as `sdk/http`) through @a2a/gateway to the
 * @a2a/agent echo agent on `broker`: what an HTTP user of an MQTT agent gets.
 */
export async function gatewayHttp(broker: Broker, layout: Layout): Promise<Contender> {
  const agent = await startServer("a2a-agent", { BENCH_BROKER_URL: broker.url }, layout);
  let gateway: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    gateway = await startServer("gateway", { BENCH_BROKER_URL: broker.url }, layout);
    const both = gateway;
    const contender = await sdkClientContender({
      id: `gateway/${broker.kind}`,
      label: `gateway → a2a-mqtt (${broker.kind})`,
      family: "a2a",
      server: agent,
      cardUrl: String(gateway.info.url),
      path: "",
      close: async () => {
        await both.stop();
        await agent.stop();
      },
    });
    return { ...contender, others: [gateway] };
  } catch (error) {
    await gateway?.stop();
    await agent.stop();
    throw error;
  }
}
