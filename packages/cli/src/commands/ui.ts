import { integerOption, stringOption, type Command } from "../command.js";
import { EXIT, UsageError } from "../errors.js";
import { consoleBrokerProblem } from "../ui/console-server.js";
import { runUi } from "../ui/run-ui.js";

export const uiCommand: Command = {
  name: "ui",
  summary: "serve the web console of the agent mesh (it connects over MQTT WebSockets)",
  description: `Serves the web console: agents online and offline with their skills and cards, the
tasks the console starts with their events, per-agent request rates. The page is
static; it connects to the broker itself over MQTT WebSockets (--broker is the ws:// or
wss:// URL as the browser reaches it; \`a2a broker --ws-port 9001\` opens one), with the
username and password typed into it, under the same ACL as any client. Prints the
console's URL on stdout. Ctrl-C stops it.`,
  options: [
    { flags: "--port <n>", description: "HTTP port of the console (default 7070; 0 for any free one)" },
    { flags: "--host <host>", description: "interface to listen on (default 127.0.0.1)" },
  ],
  examples: ["a2a broker --ws-port 9001 &", "a2a ui --broker ws://127.0.0.1:9001"],
  async run(context) {
    const broker = context.global.broker;
    const problem = consoleBrokerProblem(broker);
    if (problem) throw new UsageError(`${context.name}: ${problem}`, context.name);
    const port = integerOption(context, "port", { min: 0, max: 65535 });
    const host = stringOption(context, "host");
    await runUi({
      broker,
      topicPrefix: context.global.topicPrefix,
      ...(port === undefined ? {} : { port }),
      ...(host === undefined ? {} : { host }),
      io: context.io,
      signal: context.signal,
    });
    return EXIT.OK;
  },
};
