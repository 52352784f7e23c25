import { readFile } from "node:fs/promises";
import type { BrokerTlsOptions, CreateBrokerOptions } from "@a2a/broker";
import { flag, integerOption, stringOption, type Command, type CommandContext } from "../command.js";
import { CliError, EXIT, UsageError } from "../errors.js";

async function readPem(path: string, label: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new CliError(`Cannot read ${label} ${path}: ${(error as Error).message}`);
  }
}

async function tlsFrom(context: CommandContext): Promise<BrokerTlsOptions | undefined> {
  const cert = stringOption(context, "tls-cert");
  const key = stringOption(context, "tls-key");
  const ca = stringOption(context, "tls-ca");
  const mode = stringOption(context, "client-certificates");
  if (cert === undefined && key === undefined) {
    if (ca !== undefined || mode !== undefined) throw new UsageError("--tls-ca and --client-certificates need --tls-cert and --tls-key.", context.name);
    return undefined;
  }
  if (cert === undefined || key === undefined) throw new UsageError("TLS needs both --tls-cert and --tls-key.", context.name);
  if (mode !== undefined && mode !== "off" && mode !== "optional" && mode !== "required") {
    throw new UsageError(`--client-certificates must be off, optional or required, got ${JSON.stringify(mode)}.`, context.name);
  }
  return {
    cert: await readPem(cert, "the certificate"),
    key: await readPem(key, "the private key"),
    ...(ca === undefined ? {} : { ca: await readPem(ca, "the CA file") }),
    ...(mode === undefined ? {} : { clientCertificates: mode }),
  };
}

/** Resolves when SIGINT/SIGTERM aborts `signal`. */
const stopped = (signal: AbortSignal) =>
  new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));

export const brokerCommand: Command = {
  name: "broker",
  summary: "run an MQTT broker for agents and clients (until Ctrl-C)",
  description: `Runs the embedded MQTT 3.1.1 broker (aedes) and prints its URL (and the WebSocket
URL) on stdout. Without --users anyone may connect and use any topic: fine for a
first try on one machine. With --users FILE (see \`a2a users add\`) logins are checked
and the ACL of the topic scheme applies (with --topic-prefix, the agents' prefix).
Runs until SIGINT/SIGTERM, then disconnects everyone and exits 0.`,
  options: [
    { flags: "--port <n>", description: "MQTT port; 0 picks a free one (default 1883)" },
    { flags: "--host <host>", description: "interface to listen on (default 127.0.0.1; 0.0.0.0 for other machines)" },
    { flags: "--ws-port <n>", description: "also MQTT over WebSocket on this port (browsers)" },
    { flags: "--users <file>", description: 'users file ({ "users": [...] }) with password hashes' },
    { flags: "--no-acl", description: "with --users: check logins only, no topic rules" },
    { flags: "--clients-read-results", description: "let clients read {org}/{agent}/results (seed clients)" },
    { flags: "--tls-cert <file>", description: "serve mqtts:// (and wss://) with this certificate (PEM)" },
    { flags: "--tls-key <file>", description: "... and this private key (PEM)" },
    { flags: "--tls-ca <file>", description: "CA that client certificates must chain to" },
    { flags: "--client-certificates <mode>", description: "off, optional or required (default off); a certificate's CN is the username" },
    { flags: "--data-dir <dir>", description: "keep retained cards, sessions and queued messages across restarts (LevelDB in DIR)" },
    { flags: "--redis <url>", description: "run as one node of a cluster sharing this Redis (redis://host:6379); give every node the same --users" },
    { flags: "--max-packet-size <n>", description: "largest MQTT packet in bytes (default 1114112: 1 MiB of payload and room for headers)" },
    { flags: "--max-connect-bytes <n>", description: "most bytes before login, CONNECT and will included (default 65536)" },
  ],
  examples: [
    "a2a broker",
    "a2a broker --port 0                       # prints e.g. mqtt://127.0.0.1:40211",
    "a2a broker --users users.json --data-dir ./broker-data",
    "a2a broker --users users.json --redis redis://127.0.0.1:6379   # one node of a cluster",
    "a2a broker --host 0.0.0.0 --port 8883 --tls-cert server.crt --tls-key server.key \\\n             --tls-ca ca.crt --client-certificates optional --users users.json",
  ],
  async run(context) {
    const users = stringOption(context, "users");
    if (users === undefined && (flag(context, "no-acl") || flag(context, "clients-read-results"))) {
      throw new UsageError("--no-acl and --clients-read-results need --users.", context.name);
    }
    const port = integerOption(context, "port", { min: 0, max: 65535 }) ?? 1883;
    const wsPort = integerOption(context, "ws-port", { min: 0, max: 65535 });
    const tls = await tlsFrom(context);
    const dataDir = stringOption(context, "data-dir");
    const redis = stringOption(context, "redis");
    if (redis !== undefined && dataDir !== undefined) {
      throw new UsageError("--redis and --data-dir exclude each other: a cluster keeps its state in Redis.", context.name);
    }
    const maxPacketSize = integerOption(context, "max-packet-size", { min: 64, max: 268_435_460 });
    const maxConnectBytes = integerOption(context, "max-connect-bytes", { min: 64, max: 268_435_460 });
    const options: CreateBrokerOptions = {
      port,
      host: stringOption(context, "host") ?? "127.0.0.1",
      ...(wsPort === undefined ? {} : { wsPort }),
      ...(users === undefined ? {} : { users }),
      ...(tls === undefined ? {} : { tls }),
      ...(dataDir === undefined ? {} : { persistence: { dir: dataDir } }),
      ...(redis === undefined ? {} : { cluster: { redis } }),
      ...(maxPacketSize === undefined ? {} : { maxPacketSize }),
      ...(maxConnectBytes === undefined ? {} : { maxConnectBytes }),
      ...(users === undefined
        ? {}
        : { acl: flag(context, "no-acl") ? false : { prefix: context.global.topicPrefix, clientsReadResults: flag(context, "clients-read-results") } }),
      logger: (entry) => context.io.stderr.write(`${entry.message}\n`),
    };
    let broker;
    try {
      const { createBroker } = await import("@a2a/broker");
      broker = await createBroker(options);
    } catch (error) {
      const message = (error as Error).message;
      const hint = /EADDRINUSE/.test(message) ? ` Another broker may be running there; use --port to pick another port (0 for any free one).` : "";
      throw new CliError(`Cannot start the broker: ${message}${hint}`);
    }
    context.io.stdout.write(`${broker.url}\n${broker.wsUrl ? `${broker.wsUrl}\n` : ""}`);
    const access = users === undefined ? "open: anyone may connect (add --users FILE to require logins)" : `users from ${users}`;
    context.io.stderr.write(`a2a broker listening on ${broker.url}${broker.wsUrl ? ` and ${broker.wsUrl}` : ""}, ${access}. Ctrl-C to stop.\n`);
    await stopped(context.signal);
    context.io.stderr.write("Stopping the broker...\n");
    await broker.close();
    context.io.stderr.write("Broker stopped.\n");
    return EXIT.OK;
  },
};
