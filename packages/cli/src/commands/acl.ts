import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { loadBridgesFile, loadUsersFile, toMosquittoConfig, type MosquittoTlsOptions } from "@a2a/broker";
import { flag, integerOption, positionals, requiredOption, stringOption, type Command, type CommandContext } from "../command.js";
import { CliError, EXIT, UsageError } from "../errors.js";

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
  options: {
    format: { type: "string" },
    users: { type: "string" },
    out: { type: "string", short: "o" },
    "install-dir": { type: "string" },
    port: { type: "string" },
    host: { type: "string" },
    "ws-port": { type: "string" },
    "tls-ca": { type: "string" },
    "tls-cert": { type: "string" },
    "tls-key": { type: "string" },
    "client-certificates": { type: "string" },
    "persistence-dir": { type: "string" },
    "clients-read-results": { type: "boolean" },
    "max-packet-size": { type: "string" },
    bridges: { type: "string" },
  },
  help: `Usage: a2a acl --format mosquitto --users FILE --out DIR [options]

Writes DIR/mosquitto.conf, DIR/acl and DIR/passwd for mosquitto 2 with the same users
and the same access rules as \`a2a broker --users FILE\`: every agent reads only its
own tasks and writes its own card and results, every client reads only its own
replies, admins may do anything.

      --format mosquitto       the output format (only mosquitto for now)
      --users FILE             the users file (see \`a2a users add\`)
  -o, --out DIR                where to write the three files (created when missing)
      --install-dir DIR        where the files will be on the mosquitto host, as
                               written into mosquitto.conf (default: --out, absolute)
      --port N                 MQTT listener port (default 1883)
      --host H                 address to bind (default: all interfaces)
      --ws-port N              also a WebSocket listener
      --tls-ca/--tls-cert/--tls-key FILE
                               serve TLS (paths as mosquitto sees them)
      --client-certificates M  off or required (CN = username; no passwords)
      --persistence-dir DIR    mosquitto's database directory
      --clients-read-results   let clients read {org}/{agent}/results
      --max-packet-size N      max_packet_size in bytes (default 1114112, as
                               a2a broker)
      --bridges FILE           bridges of this (site) broker to central ones:
                               { "bridges": [{ "name", "address": "host:port",
                               "direction": "agents-at-edge" | "clients-at-edge",
                               "scope": [orgs or client ids], "username",
                               "password" }] }
      --topic-prefix P         the agents' topic prefix

Examples:
  a2a acl --format mosquitto --users users.json --out ./mosquitto
  mosquitto -c ./mosquitto/mosquitto.conf
  a2a acl --format mosquitto --users users.json --out ./deploy --install-dir /etc/mosquitto/a2a \\
          --port 8883 --tls-ca /etc/mosquitto/ca.crt --tls-cert /etc/mosquitto/server.crt \\
          --tls-key /etc/mosquitto/server.key
  a2a acl --format mosquitto --users site-users.json --bridges bridges.json --out ./site-a
`,
  async run(context) {
    positionals(context, []);
    const format = stringOption(context, "format") ?? "mosquitto";
    if (format !== "mosquitto") throw new UsageError(`--format ${JSON.stringify(format)} is not supported; use mosquitto.`, context.name);
    const usersPath = requiredOption(context, "users");
    const out = requiredOption(context, "out");
    const installDir = resolve(stringOption(context, "install-dir") ?? out);
    const users = await loadUsersFile(usersPath).catch((error: Error) => {
      throw new CliError(error.message);
    });
    const port = integerOption(context, "port", 1, 65535) ?? 1883;
    const wsPort = integerOption(context, "ws-port", 1, 65535);
    const host = stringOption(context, "host");
    const tls = tlsFrom(context);
    const persistenceDir = stringOption(context, "persistence-dir");
    const maxPacketSize = integerOption(context, "max-packet-size", 20, 268_435_460);
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
    context.io.stdout.write(`${files.conf}\n${files.acl}\n${files.passwd}\n`);
    context.io.stderr.write(
      `Wrote the mosquitto files for ${users.length} user(s). Run: mosquitto -c ${join(installDir, "mosquitto.conf")}\n` +
        "(mosquitto must be able to read acl and passwd; it warns when others can.)\n",
    );
    return EXIT.OK;
  },
};
