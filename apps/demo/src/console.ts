import { startConsoleServer, type ConsoleServer } from "@a2a/cli";
import type { SupplyChain } from "./supply-chain.js";

export interface DemoConsoleOptions {
  system: SupplyChain;
  /** HTTP port of the console; `0` picks a free one. @default 0 */
  port?: number;
}

/**
 * The web console of `a2a ui` for the running supply chain: the page connects to the
 * demo's broker over MQTT WebSockets like any other client.
 */
export async function startDemoConsole(options: DemoConsoleOptions): Promise<ConsoleServer> {
  const { system } = options;
  if (system.wsUrl === undefined) {
    throw new Error(`--ui needs a broker the browser can reach over WebSocket; ${system.brokerUrl} is not one: leave out --broker, or give a ws:// or wss:// URL.`);
  }
  return startConsoleServer({ broker: system.wsUrl, port: options.port ?? 0 });
}
