import type { ParseArgsConfig } from "node:util";
import { parseInteger, type CliIo, type OptionValues } from "./command.js";

/** Options every command takes. */
export interface GlobalOptions {
  /** `--broker`, else `A2A_BROKER_URL`. @default "mqtt://127.0.0.1:1883" */
  broker: string;
  /** `--username`, else `A2A_USERNAME`. */
  username: string | undefined;
  /** `--password`, else `A2A_PASSWORD`. */
  password: string | undefined;
  /** `--client-id`, else the username, else generated. */
  clientId: string | undefined;
  /** `--timeout` in milliseconds. @default 30000 */
  timeoutMs: number;
  /** `--topic-prefix`, else `A2A_TOPIC_PREFIX`. @default "" */
  topicPrefix: string;
  /** `--ca`: a PEM file of CAs to trust for mqtts:// and wss://. */
  caFile: string | undefined;
  json: boolean;
}

export const DEFAULT_BROKER = "mqtt://127.0.0.1:1883";
export const DEFAULT_TIMEOUT_MS = 30_000;

export const GLOBAL_OPTIONS = {
  broker: { type: "string", short: "b" },
  username: { type: "string", short: "u" },
  password: { type: "string", short: "p" },
  "client-id": { type: "string" },
  timeout: { type: "string", short: "t" },
  "topic-prefix": { type: "string" },
  ca: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies NonNullable<ParseArgsConfig["options"]>;

/** The names of global options that take a value (they may come before the command). */
export const GLOBAL_VALUE_OPTIONS = new Set(
  Object.entries(GLOBAL_OPTIONS).flatMap(([name, spec]) => (spec.type === "string" ? [`--${name}`, ...("short" in spec ? [`-${spec.short}`] : [])] : [])),
);

export const GLOBAL_HELP = `Connection options (every command that talks to a broker):
  -b, --broker URL       mqtt://, mqtts://, ws:// or wss:// URL of the broker
                         (env A2A_BROKER_URL; default ${DEFAULT_BROKER})
  -u, --username NAME    login (env A2A_USERNAME); also the MQTT client id, as the
                         broker ACL expects
  -p, --password SECRET  password (env A2A_PASSWORD)
      --client-id ID     MQTT client id (default: the username, else generated)
      --ca FILE          PEM file of CAs to trust for mqtts:// and wss://
      --topic-prefix P   topic prefix shared with the agents (env A2A_TOPIC_PREFIX)
  -t, --timeout MS       give up after MS milliseconds (default ${DEFAULT_TIMEOUT_MS})
      --json             machine-readable output on stdout
  -h, --help             this help`;

function text(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

/** Command-line values first, then the environment, then the defaults. */
export function resolveGlobalOptions(values: OptionValues, io: CliIo, command: string): GlobalOptions {
  const env = io.env;
  const timeout = text(values, "timeout");
  const username = text(values, "username") ?? (env.A2A_USERNAME || undefined);
  return {
    broker: text(values, "broker") ?? (env.A2A_BROKER_URL || DEFAULT_BROKER),
    username,
    password: text(values, "password") ?? (env.A2A_PASSWORD || undefined),
    clientId: text(values, "client-id") ?? username,
    timeoutMs: timeout === undefined ? DEFAULT_TIMEOUT_MS : parseInteger(timeout, "--timeout", 1, 86_400_000, command),
    topicPrefix: text(values, "topic-prefix") ?? env.A2A_TOPIC_PREFIX ?? "",
    caFile: text(values, "ca"),
    json: values.json === true,
  };
}
