import { integerOption, stringOption, type Command } from "../command.js";
import { EXIT, UsageError } from "../errors.js";

/** A comma-separated option as a list. */
function listOption(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}

export const gatewayCommand: Command = {
  name: "gateway",
  summary: "serve the broker's agents over A2A HTTP, or HTTP agents on the broker (until Ctrl-C)",
  description: `Serves every agent on the broker over the A2A HTTP bindings: agent {org}/{agent} at
http://HOST:PORT/{org}/{agent} (JSON-RPC on POST, HTTP+JSON below it, SSE for streams),
its card at .../.well-known/agent-card.json and a directory at /agents. Prints the URL
on stdout. With --expose, HTTP A2A agents (their card URLs) are announced on the broker
and served to MQTT clients; with --expose alone no HTTP gateway is started. Runs until
SIGINT/SIGTERM.`,
  options: [
    { flags: "--port <n>", description: "HTTP port; 0 picks a free one (default 8080)" },
    { flags: "--host <host>", description: "interface to listen on (default 127.0.0.1)" },
    { flags: "--expose <urls>", description: "card URLs of HTTP A2A agents to announce, comma separated" },
    { flags: "--api-keys <keys>", description: "require one of these keys (comma separated) in x-api-key" },
    { flags: "--cors-origin <origins>", description: "allow browser calls from these origins (comma separated, or *)" },
  ],
  examples: [
    "a2a gateway --broker mqtt://localhost:1883 --port 8080",
    'a2a gateway --port 0 --api-keys "$GATEWAY_KEY" --cors-origin https://console.example.com',
    "a2a gateway --expose http://localhost:4000/.well-known/agent-card.json",
  ],
  async run(context) {
    const expose = listOption(stringOption(context, "expose"));
    for (const url of expose) {
      if (!/^https?:\/\//.test(url)) throw new UsageError(`--expose takes http:// or https:// card URLs, got ${JSON.stringify(url)}.`, context.name);
    }
    const port = integerOption(context, "port", { min: 0, max: 65535 });
    const host = stringOption(context, "host");
    const g = context.global;
    const { runGateway } = await import("@a2a/gateway");
    await runGateway({
      broker: g.broker,
      ...(g.username === undefined ? {} : { username: g.username }),
      ...(g.password === undefined ? {} : { password: g.password }),
      ...(g.clientId === undefined ? {} : { clientId: g.clientId }),
      ...(g.topicPrefix === "" ? {} : { topicPrefix: g.topicPrefix }),
      ...(port === undefined ? {} : { port }),
      ...(host === undefined ? {} : { host }),
      expose,
      apiKeys: listOption(stringOption(context, "api-keys")),
      corsOrigin: listOption(stringOption(context, "cors-origin")),
      timeoutMs: g.timeoutMs,
      signal: context.signal,
      log: (line) => context.io.stderr.write(`${line}\n`),
      onReady: (url) => context.io.stdout.write(`${url}\n`),
    });
    return EXIT.OK;
  },
};
