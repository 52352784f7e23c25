/** Where the page connects: from the URL's query, else the server's config.json. */
export interface ConsoleConfig {
  /** `ws://` or `wss://` URL of the broker's MQTT over WebSocket listener. */
  broker: string;
  /** Topic prefix shared with the agents. */
  topicPrefix: string;
}

/**
 * `?broker=ws://…&prefix=…` wins over the `config.json` the serving command writes, so
 * the same files work behind any static server.
 */
export async function loadConfig(location: Location): Promise<ConsoleConfig> {
  const query = new URLSearchParams(location.search);
  let served: Partial<ConsoleConfig> = {};
  try {
    const response = await fetch(new URL("config.json", location.href), { cache: "no-store" });
    if (response.ok) served = (await response.json()) as Partial<ConsoleConfig>;
  } catch {
    // Served without a config.json: the connect form asks for the URL.
  }
  return {
    broker: query.get("broker") ?? (typeof served.broker === "string" ? served.broker : ""),
    topicPrefix: query.get("prefix") ?? (typeof served.topicPrefix === "string" ? served.topicPrefix : ""),
  };
}

/** A readable reason why `url` cannot be used from a browser, or undefined. */
export function brokerUrlProblem(url: string): string | undefined {
  if (url === "") return "Give the broker's WebSocket URL, e.g. ws://localhost:9001.";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${url} is not a URL; give the broker's WebSocket URL, e.g. ws://localhost:9001.`;
  }
  if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") {
    return `A browser reaches MQTT only over WebSocket: give a ws:// or wss:// URL, not ${parsed.protocol}//.`;
  }
  return undefined;
}
