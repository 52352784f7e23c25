import { isA2AProtocolError, userMessage, type AgentInfo, type Message } from "@a2a/client";
import { flag, stringOption, type Command, type CommandContext, type OptionSpec } from "../command.js";
import { withAgent } from "../connect.js";
import { UsageError } from "../errors.js";
import { nearbyIds } from "../nearby.js";
import { formatAnswer, formatParts, json, shortState } from "../format.js";
import { printStream } from "./stream-printer.js";
import { exitForState } from "./task-outcome.js";
import { a2a } from "../invocation.js";

const MESSAGE_OPTIONS: OptionSpec[] = [
  { flags: "--text <text>", description: "a text part" },
  { flags: "--data <json>", description: "a data part (any JSON value); with --text, both are sent" },
  { flags: "-s, --skill <id>", description: "the skill to run, when the agent has several" },
  { flags: "--task <id>", description: "continue this task (answer its input-required question)" },
  { flags: "--context <id>", description: "stay in this conversation" },
];

/** The message of `send` and `stream`, from --text/--data/--skill/--task/--context. */
function messageFrom(context: CommandContext): Message {
  const text = stringOption(context, "text");
  const rawData = stringOption(context, "data");
  if (text === undefined && rawData === undefined) throw new UsageError(`${context.name}: give --text T or --data JSON.`, context.name);
  let data: unknown;
  if (rawData !== undefined) {
    try {
      data = JSON.parse(rawData);
    } catch (error) {
      throw new UsageError(`${context.name}: --data is not valid JSON (${(error as Error).message}).`, context.name);
    }
  }
  const skill = stringOption(context, "skill");
  const taskId = stringOption(context, "task");
  const contextId = stringOption(context, "context");
  return userMessage({
    ...(text === undefined ? {} : { text }),
    ...(rawData === undefined ? {} : { data }),
    ...(skill === undefined ? {} : { skill }),
    ...(taskId === undefined ? {} : { taskId }),
    ...(contextId === undefined ? {} : { contextId }),
  });
}

/**
 * With the agent's card at hand, a missing or unknown --skill is a usage error named in
 * the CLI's words, before anything is sent.
 */
function checkSkill(context: CommandContext, agent: AgentInfo | undefined): void {
  if (agent === undefined || stringOption(context, "task") !== undefined) return;
  const ids = agent.card.skills.map((s) => s.id);
  const skill = stringOption(context, "skill");
  if (skill === undefined) {
    if (ids.length > 1) {
      throw new UsageError(`${agent.id} has several skills (${ids.join(", ")}); name one with --skill, e.g. --skill ${ids[0]}.`, context.name);
    }
    return;
  }
  if (ids.length > 0 && !ids.includes(skill)) {
    const near = nearbyIds(skill, ids, 1);
    const hint = near.length > 0 ? ` Did you mean --skill ${near[0]}?` : "";
    throw new UsageError(`${agent.id} has no skill ${JSON.stringify(skill)}; its skills are ${ids.join(", ")}.${hint}`, context.name);
  }
}

/** Discovery unreadable: the agent's own "name a skill" error, said with --skill. */
function skillError(context: CommandContext, error: unknown): never {
  if (isA2AProtocolError(error) && error.code === -32602 && /metadata\.skillId/.test(error.message) && stringOption(context, "skill") === undefined) {
    throw new UsageError(`${error.message.replace(/; name one in message\.metadata\.skillId.*/, "")}; name one with --skill.`, context.name);
  }
  throw error;
}

export const sendCommand: Command = {
  name: "send",
  summary: "send a message to an agent and print the result",
  arguments: ["<org/agent>"],
  description: `Sends a message (A2A SendMessage) and waits until the task completes, fails, is
canceled or needs input, then prints the answer: text parts as they are, data parts
as JSON. With --json it prints the raw Task (or Message) instead.
Exit code 1 when the task failed, was rejected or canceled.`,
  options: [...MESSAGE_OPTIONS, { flags: "--no-wait", description: "return as soon as the task exists (then: a2a task get)" }],
  examples: [
    'a2a send my-org/agent-001 --text "hello"',
    'a2a send acme/translator --skill translate --text "Bonjour" --data \'{"to":"en"}\'',
    "a2a send acme/inventory --data '{\"product_id\":\"WIDGET-A\"}' --json | jq .status.state",
    'a2a send acme/planner --task 5f0c... --text "Warehouse B"   # answer a question',
  ],
  async run(context) {
    const [agent] = context.positionals as [string];
    const message = messageFrom(context);
    const wait = !flag(context, "no-wait");
    let clientId = "";
    const result = await withAgent(context, agent, (client, info) => {
      checkSkill(context, info);
      clientId = client.clientId;
      const params = { message, ...(wait ? {} : { configuration: { returnImmediately: true } }) };
      return client.agent(agent).sendMessage(params, { signal: context.signal }).catch((error: unknown) => skillError(context, error));
    });
    if ("message" in result) {
      context.io.stdout.write(context.global.json ? json(result.message) : `${formatParts(result.message.parts)}\n`);
      return 0;
    }
    const task = result.task;
    if (context.global.json) context.io.stdout.write(json(task));
    else if (!wait) context.io.stdout.write(`${task.id}\n`);
    else {
      const answer = formatAnswer(task);
      if (answer) context.io.stdout.write(`${answer}\n`);
    }
    if (!wait) {
      // Agents show a task only to the client id that created it: name it unless it was given.
      const sameClient = context.global.clientId === undefined ? ` --client-id ${clientId}` : "";
      context.io.stderr.write(`Task ${task.id} is ${shortState(task.status.state)}; follow it with: ${a2a(`task get ${agent} ${task.id}${sameClient}`)}
`);
      return 0;
    }
    const statusText = task.status.message ? formatParts(task.status.message.parts) : "";
    return exitForState(context, { state: task.status.state, taskId: task.id, statusText });
  },
};

export const streamCommand: Command = {
  name: "stream",
  summary: "send a message and print the task's events as they arrive",
  arguments: ["<org/agent>"],
  description: `Sends a message (A2A SendStreamingMessage) and prints each event as it arrives: the
task, status updates and artifact chunks, until the task ends or needs input.
With --json every event is printed as one JSON object per line.
Exit code 1 when the task failed, was rejected or canceled. --timeout bounds the wait
for the first event.`,
  options: MESSAGE_OPTIONS,
  examples: ['a2a stream my-org/agent-001 --text "hello"', 'a2a stream acme/writer --skill draft --text "A haiku about MQTT" --json | jq -c .'],
  async run(context) {
    const [agent] = context.positionals as [string];
    const message = messageFrom(context);
    return withAgent(context, agent, (client, info) => {
      checkSkill(context, info);
      return printStream(context, client.agent(agent).sendStreamingMessage({ message }, { signal: context.signal })).catch((error: unknown) => skillError(context, error));
    });
  },
};
