import { readFile } from "node:fs/promises";
import { A2AClient, type AgentInfo } from "@a2a/client";
import type { CommandContext } from "./command.js";
import { CliError, EXIT, UsageError } from "./errors.js";
import { describeFailure } from "./failure.js";
import { nearbyIds } from "./nearby.js";
import { a2a } from "./invocation.js";

/** The advice for an unreachable broker, used wherever a connection fails. */
export function unreachableMessage(url: string, reason: string): string {
  return (
    `Cannot reach an MQTT broker at ${url}: ${reason}\n` +
    `Start one with \`${a2a("broker")}\` (it listens on mqtt://127.0.0.1:1883), or point to yours with --broker URL or A2A_BROKER_URL.`
  );
}

/** Why a connect failed, in the user's terms (the broker's refusal or the socket error). */
function connectFailure(error: unknown, url: string, timedOut: boolean): CliError {
  if (timedOut) return new CliError(unreachableMessage(url, "no answer within --timeout."), EXIT.UNREACHABLE);
  const messages: string[] = [];
  for (let e: unknown = error; e instanceof Error && messages.length < 5; e = e.cause) messages.push(e.message);
  const all = messages.join(" / ");
  if (/not authori[sz]ed|bad user ?name or password|connection refused: (bad|not)/i.test(all)) {
    return new CliError(
      `The broker at ${url} refused the login: ${messages.at(-1)}\n` +
        "Check --username/--password (or A2A_USERNAME/A2A_PASSWORD); with the broker's ACL a client's client id must be its username.",
      EXIT.UNREACHABLE,
    );
  }
  return new CliError(unreachableMessage(url, messages.at(-1) ?? String(error)), EXIT.UNREACHABLE);
}

/**
 * Opens one A2A client connection for the command, with a clean session (the command
 * is short-lived) and the connection options of the command line.
 * @throws CliError (exit 3) naming the URL and how to start a broker.
 */
export async function openClient(context: CommandContext, options: { discovery?: boolean } = {}): Promise<A2AClient> {
  const g = context.global;
  if (!/^(mqtts?|wss?):\/\//i.test(g.broker)) {
    throw new UsageError(`--broker must be an mqtt://, mqtts://, ws:// or wss:// URL, got ${JSON.stringify(g.broker)}.`, context.name);
  }
  let ca: string | undefined;
  if (g.caFile !== undefined) {
    ca = await readFile(g.caFile, "utf8").catch((error: Error) => {
      throw new CliError(`Cannot read the CA file ${g.caFile}: ${error.message}`);
    });
  }
  let client: A2AClient;
  try {
    client = new A2AClient({
      broker: g.broker,
      ...(g.clientId === undefined ? {} : { clientId: g.clientId }),
      ...(g.username === undefined ? {} : { username: g.username }),
      ...(g.password === undefined ? {} : { password: g.password }),
      topicPrefix: g.topicPrefix,
      timeoutMs: g.timeoutMs,
      discovery: options.discovery ?? true,
      mqtt: {
        // A command runs once: nothing to keep on the broker after it exits.
        clean: true,
        sessionExpirySeconds: 0,
        connectTimeoutMs: Math.min(g.timeoutMs, 10_000),
        ...(ca === undefined ? {} : { tls: { ca } }),
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message, context.name);
  }
  const timeout = AbortSignal.timeout(g.timeoutMs);
  try {
    await client.connect({ signal: AbortSignal.any([context.signal, timeout]) });
  } catch (error) {
    await client.close().catch(() => undefined);
    if (context.signal.aborted) throw new CliError("Interrupted.", EXIT.INTERRUPTED);
    throw connectFailure(error, g.broker, timeout.aborted);
  }
  return client;
}

/**
 * Checks that `id` names an agent with a card on the broker, and that it is online.
 * When discovery cannot be read (an ACL without discovery rights) the check is skipped
 * and the call itself reports what happens.
 * @throws UsageError for a malformed id; CliError (exit 4) for an unknown or offline agent.
 */
export async function requireAgent(client: A2AClient, context: CommandContext, id: string): Promise<AgentInfo | undefined> {
  try {
    client.agent(id);
  } catch (error) {
    throw new UsageError((error as Error).message, context.name);
  }
  let agents: AgentInfo[];
  try {
    agents = await client.findAgents({ signal: context.signal });
  } catch {
    return undefined;
  }
  const found = agents.find((a) => a.id === id);
  if (found?.status === "online") return found;
  if (found) {
    throw new CliError(
      `Agent ${id} is offline${found.since ? ` (since ${found.since})` : ""}: its card on ${context.global.broker} says so. Start the agent, then retry.`,
      EXIT.NOT_FOUND,
    );
  }
  const ids = agents.map((a) => a.id).sort();
  const near = nearbyIds(id, ids);
  const hint =
    ids.length === 0
      ? "No agent has published a card there; start one, or check --broker and --topic-prefix."
      : near.length > 0
        ? `Did you mean: ${near.join(", ")}?`
        : `Known agents: ${ids.slice(0, 10).join(", ")}${ids.length > 10 ? `, … (${ids.length} in all; see \`${a2a("agents")}\`)` : ""}.`;
  throw new CliError(`Unknown agent ${id}: no Agent Card on ${context.global.broker}. ${hint}`, EXIT.NOT_FOUND);
}

/**
 * Connects, checks that agent `id` is known and online, runs `call` (with the agent's
 * card, when discovery could be read), and closes. Every
 * failure comes out as a CliError with the message and exit code for the user.
 */
export async function withAgent<T>(
  context: CommandContext,
  id: string,
  call: (client: A2AClient, agent: AgentInfo | undefined) => Promise<T>,
): Promise<T> {
  const client = await openClient(context);
  try {
    const agent = await requireAgent(client, context, id);
    return await call(client, agent);
  } catch (error) {
    throw context.signal.aborted ? new CliError("Interrupted.", EXIT.INTERRUPTED) : describeFailure(error, { timeoutMs: context.global.timeoutMs, agent: id });
  } finally {
    await client.close().catch(() => undefined);
  }
}
