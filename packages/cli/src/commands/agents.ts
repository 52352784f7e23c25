import type { AgentEvent, AgentInfo, AgentQuery } from "@a2a/client";
import { flag, stringOption, type Command, type CommandContext } from "../command.js";
import { openClient } from "../connect.js";
import { CliError, EXIT, UsageError } from "../errors.js";
import { describeFailure } from "../failure.js";
import { json, table } from "../format.js";
import { STATS_HEADER, fetchAgentStats, statsCells } from "../agent-stats.js";

const skillsOf = (agent: AgentInfo) => agent.card.skills.map((s) => s.id).join(", ");

/** What `--json` prints per agent: the essentials first, then the whole card. */
function agentJson(agent: AgentInfo) {
  return {
    id: agent.id,
    status: agent.status,
    ...(agent.since === undefined ? {} : { since: agent.since }),
    name: agent.card.name,
    skills: agent.card.skills.map((s) => ({ id: s.id, name: s.name })),
    card: agent.card,
  };
}

function queryFrom(context: CommandContext): AgentQuery {
  const status = stringOption(context, "status");
  if (status !== undefined && status !== "online" && status !== "offline") {
    throw new UsageError(`--status must be online or offline, got ${JSON.stringify(status)}.`, context.name);
  }
  const skill = stringOption(context, "skill");
  const tag = stringOption(context, "tag");
  return { ...(skill === undefined ? {} : { skill }), ...(tag === undefined ? {} : { tag }), ...(status === undefined ? {} : { status }) };
}

function matches(agent: AgentInfo, query: AgentQuery): boolean {
  if (query.status !== undefined && agent.status !== query.status) return false;
  const skills = agent.card.skills;
  if (query.skill !== undefined && !skills.some((s) => s.id === query.skill || s.name.toLowerCase() === query.skill?.toLowerCase())) return false;
  const tag = query.tag?.toLowerCase();
  if (tag !== undefined && !skills.some((s) => s.tags.some((t) => t.toLowerCase() === tag))) return false;
  return true;
}

async function watch(context: CommandContext, query: AgentQuery): Promise<number> {
  const client = await openClient(context);
  context.io.stderr.write(`Watching agents on ${context.global.broker}; Ctrl-C to stop.\n`);
  try {
    for await (const event of client.watchAgents({ signal: context.signal })) {
      if (!matches(event.agent, query) && event.type !== "removed" && event.type !== "offline") continue;
      context.io.stdout.write(context.global.json ? `${JSON.stringify(eventJson(event))}\n` : eventLine(event));
    }
    return EXIT.OK;
  } catch (error) {
    if (context.signal.aborted) return EXIT.OK;
    throw describeFailure(error, { timeoutMs: context.global.timeoutMs });
  } finally {
    await client.close().catch(() => undefined);
  }
}

const eventJson = (event: AgentEvent) => ({ type: event.type, at: new Date().toISOString(), agent: agentJson(event.agent) });

function eventLine(event: AgentEvent): string {
  const a = event.agent;
  const skills = event.type === "removed" ? "" : `  ${a.card.name}  skills: ${skillsOf(a) || "-"}`;
  return `${new Date().toISOString()}  ${event.type.padEnd(7)}  ${a.id}${skills}\n`;
}

export const agentsCommand: Command = {
  name: "agents",
  summary: "list the agents on the broker, online or offline, with their skills",
  description: `Lists the agents whose Agent Cards are retained on the broker (discovery/{org}/{agent}):
id, online/offline (since when), name and skill ids. With --json, one object per
agent (the whole card included). With --watch, prints every change (online, offline,
updated, removed) as it happens, until Ctrl-C. With --stats, asks each online agent for
its counters (requests, errors, tasks done and failed, running, queued, memory, push
deliveries, reconnects, uptime).`,
  options: [
    { flags: "-s, --skill <id>", description: "only agents with this skill (id, or name ignoring case)" },
    { flags: "--tag <tag>", description: "only agents with a skill tagged so" },
    { flags: "--status <status>", description: "only online or only offline agents" },
    { flags: "-w, --watch", description: "keep printing changes (one JSON object per line with --json)" },
    { flags: "--stats", description: "ask each online agent for its counters (a2a-mqtt/GetAgentStats)" },
  ],
  examples: [
    "a2a agents",
    "a2a agents --status online --skill translate",
    "a2a agents --json | jq -r '.[] | select(.status == \"online\") | .id'",
    "a2a agents --stats --status online",
    'a2a agents --watch --broker mqtts://broker.example.com:8883 -u alice -p "$PASSWORD"',
  ],
  async run(context) {
    const query = queryFrom(context);
    if (flag(context, "watch")) return watch(context, query);
    const client = await openClient(context);
    let agents: AgentInfo[];
    let stats: Awaited<ReturnType<typeof fetchAgentStats>> | undefined;
    try {
      agents = await client.findAgents({ ...query, signal: context.signal });
      agents.sort((a, b) => a.id.localeCompare(b.id));
      if (flag(context, "stats")) stats = await fetchAgentStats(client, agents, { timeoutMs: context.global.timeoutMs, signal: context.signal });
    } catch (error) {
      if (context.signal.aborted) throw new CliError("Interrupted.", EXIT.INTERRUPTED);
      throw describeFailure(error, { timeoutMs: context.global.timeoutMs });
    } finally {
      await client.close().catch(() => undefined);
    }
    if (stats !== undefined) {
      if (context.global.json) context.io.stdout.write(json(stats.map((r) => ({ id: r.agent, ...(r.stats ? { stats: r.stats } : { missing: r.missing }) }))));
      else if (stats.length === 0) context.io.stderr.write(`No agents on ${context.global.broker}.\n`);
      else context.io.stdout.write(table(STATS_HEADER, statsCells(stats)));
      return EXIT.OK;
    }
    if (context.global.json) {
      context.io.stdout.write(json(agents.map(agentJson)));
      return EXIT.OK;
    }
    if (agents.length === 0) {
      context.io.stderr.write(`No agents on ${context.global.broker}${Object.keys(query).length ? " match" : ""}.\n`);
      return EXIT.OK;
    }
    const status = (a: AgentInfo) => (a.status === "offline" && a.since !== undefined ? `offline since ${a.since}` : a.status);
    context.io.stdout.write(table(["AGENT", "STATUS", "NAME", "SKILLS"], agents.map((a) => [a.id, status(a), a.card.name, skillsOf(a)])));
    return EXIT.OK;
  },
};
