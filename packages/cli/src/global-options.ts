import type { CliIo } from "./cli-io.js";
import { parseInteger, type OptionSpec, type OptionValues } from "./option-values.js";

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

/** Options every command takes; they may come before or after the command name. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { flags: "-b, --broker <url>", description: `mqtt://, mqtts://, ws:// or wss:// URL of the broker (env A2A_BROKER_URL; default ${DEFAULT_BROKER})` },
  { flags: "-u, --username <name>", description: "login (env A2A_USERNAME); also the MQTT client id, as the broker ACL expects" },
  { flags: "-p, --password <secret>", description: "password (env A2A_PASSWORD)" },
  { flags: "--client-id <id>", description: "MQTT client id (default: the username, else generated)" },
  { flags: "--ca <file>", description: "PEM file of CAs to trust for mqtts:// and wss://" },
  { flags: "--topic-prefix <prefix>", description: "topic prefix shared with the agents (env A2A_TOPIC_PREFIX)" },
  { flags: "-t, --timeout <ms>", description: `give up after this many milliseconds (default ${DEFAULT_TIMEOUT_MS})` },
  { flags: "--json", description: "machine-readable output on stdout" },
];

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
    timeoutMs: timeout === undefined ? DEFAULT_TIMEOUT_MS : parseInteger(timeout, { label: "--timeout", min: 1, max: 86_400_000, command }),
    topicPrefix: text(values, "topic-prefix") ?? env.A2A_TOPIC_PREFIX ?? "",
    caFile: text(values, "ca"),
    json: values.json === true,
  };
}
