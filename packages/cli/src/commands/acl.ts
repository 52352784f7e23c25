import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { MosquittoTlsOptions } from "@a2a/broker";
import { flag, integerOption, requiredOption, stringOption, type Command, type CommandContext } from "../command.js";
import { CliError, EXIT, UsageError } from "../errors.js";
import { handOverToMosquitto } from "./mosquitto-owner.js";

function tlsFrom(context: CommandContext): MosquittoTlsOptions | undefined {
  const cafile = stringOption(context, "tls-ca");
  const certfile = stringOption(context, "tls-cert");
  const keyfile = stringOption(context, "tls-key");
  const mode = stringOption(context, "client-certificates");
  if (cafile === undefined && certfile === undefined && keyfile === undefined) return undefined;
  if (cafile === undefined || certfile === undefined || keyfile === undefined) {
    throw new UsageError("mosquitto TLS needs --tls-ca, --tls-cert and --tls-key (paths as mosquitto sees them).", context.name);
  }
  if (mode !== undefined && mode !== "off" && mode !== "required") {
    throw new UsageError(`--client-certificates must be off or required for mosquitto, got ${JSON.stringify(mode)}.`, context.name);
  }
  return { cafile, certfile, keyfile, ...(mode === undefined ? {} : { clientCertificates: mode }) };
}

export const aclCommand: Command = {
  name: "acl",
  summary: "write mosquitto's config, ACL and password files from a users file",
  description: `Writes DIR/mosquitto.conf, DIR/acl and DIR/passwd for mosquitto 2 with the same users
and the same access rules as \`a2a broker --users FILE\`: every agent reads only its
own tasks and writes its own card and results, every client reads only its own
replies, admins may do anything (with --topic-prefix, the agents' prefix).`,
  options: [
    { flags: "--format <format>", description: "the output format (only mosquitto for now)" },
    { flags: "--users <file>", description: "the users file (see `a2a users add`)" },
    { flags: "-o, --out <dir>", description: "where to write the three files (created when missing)" },
    { flags: "--install-dir <dir>", description: "where the files will be on the mosquitto host, as written into mosquitto.conf (default: --out, absolute)" },
    { flags: "--port <n>", description: "MQTT listener port (default 1883)" },
    { flags: "--host <host>", description: "address to bind (default: all interfaces)" },
    { flags: "--ws-port <n>", description: "also a WebSocket listener" },
    { flags: "--tls-ca <file>", description: "serve TLS: the CA file (paths as mosquitto sees them)" },
    { flags: "--tls-cert <file>", description: "serve TLS: the server certificate" },
    { flags: "--tls-key <file>", description: "serve TLS: the server's private key" },
    { flags: "--client-certificates <mode>", description: "off or required (CN = username; no passwords)" },
    { flags: "--persistence-dir <dir>", description: "mosquitto's database directory" },
    { flags: "--clients-read-results", description: "let clients read {org}/{agent}/results" },
    { flags: "--max-packet-size <n>", description: "max_packet_size in bytes (default 1114112, as a2a broker)" },
    {
      flags: "--bridges <file>",
      description:
        'bridges of this (site) broker to central ones: { "bridges": [{ "name", "address": "host:port", "direction": "agents-at-edge" | "clients-at-edge", "scope": [orgs or client ids], "username", "password" }] }',
    },
  ],
  examples: [
    "a2a acl --format mosquitto --users users.json --out ./mosquitto",
    "mosquitto -c ./mosquitto/mosquitto.conf",
    "a2a acl --format mosquitto --users users.json --out ./deploy --install-dir /etc/mosquitto/a2a \\\n          --port 8883 --tls-ca /etc/mosquitto/ca.crt --tls-cert /etc/mosquitto/server.crt \\\n          --tls-key /etc/mosquitto/server.key",
    "a2a acl --format mosquitto --users site-users.json --bridges bridges.json --out ./site-a",
  ],
  async run(context) {
    const format = stringOption(context, "format") ?? "mosquitto";
    if (format !== "mosquitto") throw new UsageError(`--format ${JSON.stringify(format)} is not supported; use mosquitto.`, context.name);
    const usersPath = requiredOption(context, "users");
    const out = requiredOption(context, "out");
    const installDir = resolve(stringOption(context, "install-dir") ?? out);
    const { loadBridgesFile, loadUsersFile, toMosquittoConfig } = await import("@a2a/broker");
    const users = await loadUsersFile(usersPath).catch((error: Error) => {
      throw new CliError(error.message);
    });
    const port = integerOption(context, "port", { min: 1, max: 65535 }) ?? 1883;
    const wsPort = integerOption(context, "ws-port", { min: 1, max: 65535 });
    const host = stringOption(context, "host");
    const tls = tlsFrom(context);
    const persistenceDir = stringOption(context, "persistence-dir");
    const maxPacketSize = integerOption(context, "max-packet-size", { min: 20, max: 268_435_460 });
    const bridgesPath = stringOption(context, "bridges");
    const bridges =
      bridgesPath === undefined
        ? undefined
        : await loadBridgesFile(bridgesPath).catch((error: Error) => {
            throw new CliError(error.message);
          });
    let exported;
    try {
      exported = toMosquittoConfig({
        users,
        port,
        ...(host === undefined ? {} : { host }),
        ...(wsPort === undefined ? {} : { wsPort }),
        ...(tls === undefined ? {} : { tls }),
        ...(persistenceDir === undefined ? {} : { persistenceDir }),
        ...(maxPacketSize === undefined ? {} : { maxPacketSize }),
        ...(bridges === undefined ? {} : { bridges }),
        acl: { prefix: context.global.topicPrefix, clientsReadResults: flag(context, "clients-read-results") },
        files: { passwordFile: join(installDir, "passwd"), aclFile: join(installDir, "acl") },
      });
    } catch (error) {
      throw new CliError(`Cannot export the users of ${usersPath}: ${(error as Error).message}`);
    }
    const files = { conf: join(out, "mosquitto.conf"), acl: join(out, "acl"), passwd: join(out, "passwd") };
    try {
      await mkdir(out, { recursive: true });
      await writeFile(files.conf, exported.conf);
      // Password hashes and the rules are for mosquitto's eyes only.
      await writeFile(files.acl, exported.aclFile, { mode: 0o600 });
      await writeFile(files.passwd, exported.passwordFile, { mode: 0o600 });
    } catch (error) {
      throw new CliError(`Cannot write the mosquitto files to ${out}: ${(error as Error).message}`);
    }
    const note = await handOverToMosquitto(files, installDir, out).catch((error: Error) => `Could not give acl and passwd to the user mosquitto: ${error.message}`);
    context.io.stdout.write(`${files.conf}\n${files.acl}\n${files.passwd}\n`);
    context.io.stderr.write(
      `Wrote the mosquitto files for ${users.length} user(s). Run: mosquitto -c ${join(installDir, "mosquitto.conf")}\n` +
        (note === undefined ? "(mosquitto must be able to read acl and passwd; it warns when others can.)\n" : `${note}\n`),
    );
    return EXIT.OK;
  },
};
