import { chmod, readFile, rename, writeFile } from "node:fs/promises";
import type { BrokerRole, BrokerUser } from "@a2a/broker";
import { flag, stringOption, type Command, type CommandContext } from "../command.js";
import { CliError, EXIT, UsageError } from "../errors.js";
import { json, table } from "../format.js";
import { a2a } from "../invocation.js";

// @a2a/broker (aedes, LevelDB, WebSocket) is loaded by the commands that use it, so
// that `a2a send` and the other client commands start without it.
const broker = () => import("@a2a/broker");

const DEFAULT_FILE = "users.json";
const ROLES: readonly BrokerRole[] = ["agent", "client", "admin"];

const fileOf = (context: CommandContext) => stringOption(context, "file") ?? DEFAULT_FILE;

/** The users of `path`; an empty list when the file does not exist yet. */
async function readUsers(path: string): Promise<BrokerUser[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new CliError(`Cannot read the users file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`The users file ${path} is not JSON: ${(error as Error).message}`);
  }
  const { usersFileSchema } = await broker();
  const result = usersFileSchema.safeParse(parsed);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new CliError(`The users file ${path} is not valid: ${issues}.`);
  }
  return result.data.users;
}

/** Writes the whole file anew (owner-only: it holds password hashes), atomically. */
async function writeUsers(path: string, users: BrokerUser[]): Promise<void> {
  (await broker()).resolveUsers(users);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, json({ users }), { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

export const usersAddCommand: Command = {
  name: "users add",
  summary: "add a user (agent, client or admin) to a users file",
  arguments: ["<name>"],
  description: `Adds a user to a users file for \`a2a broker --users FILE\` and \`a2a acl\`, with its
password hashed for both the embedded broker (scrypt) and mosquitto (PBKDF2). The
file is created when missing and kept readable by its owner only.`,
  options: [
    { flags: "-r, --role <role>", description: "agent (serves {org}/{agent}), client (calls agents) or admin" },
    { flags: "--org <org>", description: 'an agent\'s org id, when its name is not "org/agent"' },
    { flags: "--agent <agent>", description: "an agent's id within its org, with --org" },
    {
      flags: "--can-call",
      description: "an agent that also calls other agents (an orchestrator); its name must then be one level, e.g. acme.planner, and it connects with its name as MQTT client id",
    },
    {
      flags: "--user-password <password>",
      description: "the new user's password; else env A2A_USER_PASSWORD; with neither the user can only log in with a TLS client certificate whose CN is the name",
    },
    { flags: "-f, --file <file>", description: `the users file (default ${DEFAULT_FILE})` },
    { flags: "--force", description: "replace a user of the same name" },
  ],
  examples: [
    "A2A_USER_PASSWORD=s3cret a2a users add my-org/agent-001 --role agent",
    'a2a users add alice --role client --user-password "$ALICE_PASSWORD" --file /etc/a2a/users.json',
    "a2a users add acme.planner --role agent --org acme --agent planner --can-call --user-password p",
    "a2a users add ops --role admin",
  ],
  async run(context) {
    const [username] = context.positionals as [string];
    const role = stringOption(context, "role");
    if (role === undefined) throw new UsageError("users add: --role is required (agent, client or admin).", context.name);
    if (!ROLES.includes(role as BrokerRole)) throw new UsageError(`--role must be agent, client or admin, got ${JSON.stringify(role)}.`, context.name);
    const org = stringOption(context, "org");
    const agent = stringOption(context, "agent");
    const password = stringOption(context, "user-password") ?? (context.io.env.A2A_USER_PASSWORD || undefined);
    const path = fileOf(context);
    const users = await readUsers(path);
    const existing = users.findIndex((u) => u.username === username);
    if (existing >= 0 && !flag(context, "force")) {
      throw new CliError(`User ${username} is already in ${path}; add --force to replace it.`);
    }
    let user: BrokerUser;
    try {
      const { createUser } = await broker();
      user = await createUser({
        username,
        role: role as BrokerRole,
        ...(org === undefined ? {} : { org }),
        ...(agent === undefined ? {} : { agent }),
        ...(flag(context, "can-call") ? { canCall: true } : {}),
        ...(password === undefined ? {} : { password }),
      });
    } catch (error) {
      throw new UsageError((error as Error).message, context.name);
    }
    if (existing >= 0) users[existing] = user;
    else users.push(user);
    await writeUsers(path, users);
    context.io.stderr.write(
      `${existing >= 0 ? "Replaced" : "Added"} ${role} ${username} in ${path}${password === undefined ? " (no password: TLS client certificate logins only)" : ""}.\n`,
    );
    return EXIT.OK;
  },
};

export const usersListCommand: Command = {
  name: "users list",
  summary: "list the users of a users file",
  description: "Lists the users of a users file: name, role, agent id, and how they log in.",
  options: [{ flags: "-f, --file <file>", description: `the users file (default ${DEFAULT_FILE})` }],
  examples: ["a2a users list --file /etc/a2a/users.json"],
  async run(context) {
    const path = fileOf(context);
    const users = await readUsers(path);
    if (context.global.json) {
      context.io.stdout.write(json(users.map(({ passwordHash, mosquittoPasswordHash, ...rest }) => ({ ...rest, password: passwordHash !== undefined }))));
      return EXIT.OK;
    }
    if (users.length === 0) {
      context.io.stderr.write(`No users in ${path}; add one with \`${a2a("users add")}\`.\n`);
      return EXIT.OK;
    }
    const resolved = (await broker()).resolveUsers(users);
    const rows = [...resolved.values()].map((u) => [
      u.username,
      u.role,
      u.role === "agent" ? `${u.org}/${u.agent}${u.canCall ? " (calls others)" : ""}` : "",
      u.passwordHash ? "password" : "certificate",
    ]);
    context.io.stdout.write(table(["USER", "ROLE", "AGENT", "LOGIN"], rows));
    return EXIT.OK;
  },
};

export const usersRemoveCommand: Command = {
  name: "users remove",
  summary: "remove a user from a users file",
  arguments: ["<name>"],
  description: "Removes a user from a users file. A running broker reads the file when it starts.",
  options: [{ flags: "-f, --file <file>", description: `the users file (default ${DEFAULT_FILE})` }],
  examples: ["a2a users remove alice --file /etc/a2a/users.json"],
  async run(context) {
    const [username] = context.positionals as [string];
    const path = fileOf(context);
    const users = await readUsers(path);
    const rest = users.filter((u) => u.username !== username);
    if (rest.length === users.length) throw new CliError(`No user ${username} in ${path}.`, EXIT.NOT_FOUND);
    await writeUsers(path, rest);
    context.io.stderr.write(`Removed ${username} from ${path}.\n`);
    return EXIT.OK;
  },
};
