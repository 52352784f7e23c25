import { readFile } from "node:fs/promises";
import { z } from "zod";
import { hashMosquittoPassword, isMosquittoPasswordHash, type HashMosquittoPasswordOptions } from "./mosquitto-password.js";
import { hashPassword, isPasswordHash, type HashPasswordOptions } from "./password-hash.js";
import { validateTopicSegment } from "@a2a/transport";
import type { BrokerUser, ResolvedUser } from "./broker-user.js";
import { clientIdCollision } from "./client-id.js";

export type { BrokerRole, BrokerUser, ResolvedUser } from "./broker-user.js";

// Usernames land in mosquitto's ACL and password files (space- and colon-separated).
// eslint-disable-next-line no-control-regex
const USERNAME = /^[^\s:\u0000-\u001f\u007f-\u009f]{1,256}$/;

const userSchema = z.object({
  username: z.string().regex(USERNAME, "a username must be 1-256 characters without whitespace, ':' or control characters"),
  role: z.enum(["agent", "client", "admin"]),
  org: z.string().optional(),
  agent: z.string().optional(),
  canCall: z.boolean().optional(),
  passwordHash: z.string().refine(isPasswordHash, "passwordHash must be made by hashPassword()").optional(),
  mosquittoPasswordHash: z
    .string()
    .refine(isMosquittoPasswordHash, "mosquittoPasswordHash must be a mosquitto $7$ hash (hashMosquittoPassword())")
    .optional(),
});

/** The users file: `{ "users": [BrokerUser, ...] }` (JSON). */
export const usersFileSchema = z.object({ users: z.array(userSchema) });

/** Thrown when a user entry cannot be used; the message names the user and the fix. */
export class InvalidUserError extends Error {
  override readonly name = "InvalidUserError";
}

function segment(value: string, label: string, username: string): void {
  try {
    validateTopicSegment(value, label);
  } catch (error) {
    throw new InvalidUserError(`User ${JSON.stringify(username)}: ${(error as Error).message}`, { cause: error });
  }
}

function resolveUser(user: BrokerUser): ResolvedUser {
  const parsed = userSchema.safeParse(user);
  if (!parsed.success) {
    throw new InvalidUserError(`User ${JSON.stringify(user.username)}: ${parsed.error.issues.map((i) => i.message).join("; ")}.`);
  }
  if (user.role !== "agent") {
    if (user.org !== undefined || user.agent !== undefined) {
      throw new InvalidUserError(`User ${JSON.stringify(user.username)}: only agents have org and agent ids.`);
    }
    if (user.canCall !== undefined) {
      throw new InvalidUserError(
        `User ${JSON.stringify(user.username)}: canCall is for agents only (a ${user.role} may call agents already).`,
      );
    }
    // A client's username is its reply-topic segment (replies/{clientId}/..., clientId = username).
    if (user.role === "client") segment(user.username, "client username", user.username);
    return { ...user, role: user.role };
  }
  const [fromOrg, fromAgent, ...rest] = user.username.split("/");
  const org = user.org ?? (rest.length === 0 && fromAgent !== undefined ? fromOrg : undefined);
  const agent = user.agent ?? (rest.length === 0 ? fromAgent : undefined);
  if (org === undefined || agent === undefined) {
    throw new InvalidUserError(
      `Agent ${JSON.stringify(user.username)}: give org and agent, or a username of the form "org/agent".`,
    );
  }
  segment(org, "org id", user.username);
  segment(agent, "agent id", user.username);
  if (org === "discovery" || org === "replies") {
    throw new InvalidUserError(`Agent ${JSON.stringify(user.username)}: the org id "${org}" is reserved by the topic scheme.`);
  }
  if (user.canCall) {
    // Its replies come to replies/{username}/{inbox}, so the username must be one level.
    if (user.username.includes("/")) {
      throw new InvalidUserError(
        `Agent ${JSON.stringify(user.username)}: an agent with canCall reads its replies on replies/{username}/..., ` +
          `so its username must not contain "/"; give org and agent and a username such as ${JSON.stringify(`${org}.${agent}`)}.`,
      );
    }
    segment(user.username, "username of an agent with canCall", user.username);
    // Callers may not write discovery/+/tasks (it matches +/+/tasks), which would be this agent's own card.
    if (agent === "tasks") {
      throw new InvalidUserError(
        `Agent ${JSON.stringify(user.username)}: an agent with canCall cannot be called "tasks" (its card topic discovery/${org}/tasks looks like a tasks topic); choose another agent id.`,
      );
    }
  }
  return { ...user, role: "agent", org, agent };
}

/**
 * Validates users and resolves agents' `{org}/{agent}`. Usernames must be unique, and
 * so must the client ids they may use (see `clientIdProblem`).
 * @throws InvalidUserError naming the entry and what to change.
 */
export function resolveUsers(users: readonly BrokerUser[]): Map<string, ResolvedUser> {
  const byName = new Map<string, ResolvedUser>();
  for (const user of users) {
    if (byName.has(user.username)) throw new InvalidUserError(`User ${JSON.stringify(user.username)} is listed twice.`);
    byName.set(user.username, resolveUser(user));
  }
  const collision = clientIdCollision(byName.values());
  if (collision) throw new InvalidUserError(`Users ${collision}, so one could take over the other's session; rename one of them.`);
  return byName;
}

/** Reads and validates a users file (`{ "users": [...] }`, JSON). */
export async function loadUsersFile(path: string): Promise<BrokerUser[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new InvalidUserError(`Cannot read the users file ${path}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = usersFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new InvalidUserError(`The users file ${path} is not valid: ${issues}.`);
  }
  resolveUsers(parsed.data.users);
  return parsed.data.users;
}

export interface CreateUserOptions extends Omit<BrokerUser, "passwordHash" | "mosquittoPasswordHash"> {
  /** Plain password; hashed for both brokers. Omit for a certificate-only user. */
  password?: string;
  /** Options of `hashPassword`. */
  scrypt?: HashPasswordOptions;
  /** Options of `hashMosquittoPassword`. @default { iterations: 210000 } */
  mosquitto?: HashMosquittoPasswordOptions;
}

/**
 * Makes a users-file entry with both password hashes, so the same file serves the
 * embedded broker and `toMosquittoConfig`.
 * @example
 * const users = [
 *   await createUser({ username: "my-org/echo", role: "agent", password: "agent-secret" }),
 *   await createUser({ username: "alice", role: "client", password: "alice-secret" }),
 * ];
 */
export async function createUser(options: CreateUserOptions): Promise<BrokerUser> {
  const { password, scrypt, mosquitto, ...user } = options;
  const entry: BrokerUser = { ...user };
  if (password !== undefined) {
    entry.passwordHash = await hashPassword(password, scrypt);
    entry.mosquittoPasswordHash = await hashMosquittoPassword(password, mosquitto);
  }
  resolveUser(entry);
  return entry;
}
