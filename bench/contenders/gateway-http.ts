import type { Broker } from "../lib/brokers.js";
import { startServer, type Layout, type ServerHandle } from "../lib/server.js";
import type { Contender } from "./contender.js";
import { leanHttpContender } from "./lean-http.js";
import { sdkClientContender } from "./sdk-http.js";

/**
 * The SDK's own HTTP client (the same code as `sdk/http`) through @a2a/gateway to the
 * @a2a/agent echo agent on `broker`: what an HTTP user of an MQTT agent gets.
 */
export async function gatewayHttp(broker: Broker, layout: Layout): Promise<Contender> {
  return withGateway(broker, layout, ({ agent, cardUrl, close }) =>
    sdkClientContender({ id: `gateway/${broker.kind}`, label: `gateway → a2a-mqtt (${broker.kind})`, family: "a2a", server: agent, cardUrl, path: "", close }),
  );
}

/** The same path driven by the lean load generator (lean-http.ts), as `sdk-lean/http`. */
export async function gatewayLeanHttp(broker: Broker, layout: Layout): Promise<Contender> {
  return withGateway(broker, layout, ({ agent, cardUrl, close }) =>
    leanHttpContender({ id: `gateway-lean/${broker.kind}`, label: `undici → gateway → a2a-mqtt (${broker.kind})`, family: "a2a", server: agent, cardUrl, close }),
  );
}

/** Starts the echo agent and the gateway in front of it, and hands them to `client`. */
async function withGateway(
  broker: Broker,
  layout: Layout,
  client: (o: { agent: ServerHandle; cardUrl: string; close: () => Promise<void> }) => Promise<Contender>,
): Promise<Contender> {
  const agent = await startServer("a2a-agent", { BENCH_BROKER_URL: broker.url }, layout);
  let gateway: ServerHandle | undefined;
  try {
    gateway = await startServer("gateway", { BENCH_BROKER_URL: broker.url }, layout);
    const both = gateway;
    const contender = await client({
      agent,
      cardUrl: String(gateway.info.url),
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
