import { userMessage, type Message } from "@a2a/client";
import { flag, positionals, stringOption, type Command, type CommandContext } from "../command.js";
import { withAgent } from "../connect.js";
import { UsageError } from "../errors.js";
import { formatParts, json, shortState, taskAnswer } from "../format.js";
import { GLOBAL_HELP } from "../global-options.js";
import { printStream } from "./stream-printer.js";
import { exitForState } from "./task-outcome.js";

const MESSAGE_OPTIONS = {
  text: { type: "string" },
  data: { type: "string" },
  skill: { type: "string", short: "s" },
  task: { type: "string" },
  context: { type: "string" },
} as const;

const MESSAGE_HELP = `Message options:
      --text T           a text part
      --data JSON        a data part (any JSON value); with --text, both are sent
  -s, --skill ID         the skill to run, when the agent has several
      --task ID          continue this task (answer its input-required question)
      --context ID       stay in this conversation`;

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

export const sendCommand: Command = {
  name: "send",
  summary: "send a message to an agent and print the result",
  options: { ...MESSAGE_OPTIONS, "no-wait": { type: "boolean" } },
  help: `Usage: a2a send <org>/<agent> (--text T | --data JSON) [options]

Sends a message (A2A SendMessage) and waits until the task completes, fails, is
canceled or needs input, then prints the answer: text parts as they are, data parts
as JSON. With --json it prints the raw Task (or Message) instead.
Exit code 1 when the task failed, was rejected or canceled.

${MESSAGE_HELP}
      --no-wait          return as soon as the task exists (then: a2a task get)

${GLOBAL_HELP}

Examples:
  a2a send my-org/echo --text "hello"
  a2a send acme/translator --skill translate --text "Bonjour" --data '{"to":"en"}'
  a2a send acme/inventory --data '{"product_id":"WIDGET-A"}' --json | jq .status.state
  a2a send acme/planner --task 5f0c... --text "Warehouse B"   # answer a question
`,
  async run(context) {
    const [agent] = positionals(context, ["org/agent"]) as [string];
    const message = messageFrom(context);
    const wait = !flag(context, "no-wait");
    let clientId = "";
    const result = await withAgent(context, agent, (client) => {
      clientId = client.clientId;
      return client.sendMessage(agent, { message, ...(wait ? {} : { configuration: { returnImmediately: true } }) }, { signal: context.signal });
    });
    if ("message" in result) {
      context.io.stdout.write(context.global.json ? json(result.message) : `${formatParts(result.message.parts)}\n`);
      return 0;
    }
    const task = result.task;
    if (context.global.json) context.io.stdout.write(json(task));
    else if (!wait) context.io.stdout.write(`${task.id}\n`);
    else {
      const answer = formatParts(taskAnswer(task));
      if (answer) context.io.stdout.write(`${answer}\n`);
    }
    if (!wait) {
      // Agents show a task only to the client id that created it: name it unless it was given.
      const sameClient = context.global.clientId === undefined ? ` --client-id ${clientId}` : "";
      context.io.stderr.write(`Task ${task.id} is ${shortState(task.status.state)}; follow it with: a2a task get ${agent} ${task.id}${sameClient}\n`);
      return 0;
    }
    const statusText = task.status.message ? formatParts(task.status.message.parts) : "";
    return exitForState(context, task.status.state, task.id, statusText);
  },
};

export const streamCommand: Command = {
  name: "stream",
  summary: "send a message and print the task's events as they arrive",
  options: MESSAGE_OPTIONS,
  help: `Usage: a2a stream <org>/<agent> (--text T | --data JSON) [options]

Sends a message (A2A SendStreamingMessage) and prints each event as it arrives: the
task, status updates and artifact chunks, until the task ends or needs input.
With --json every event is printed as one JSON object per line.
Exit code 1 when the task failed, was rejected or canceled. --timeout bounds the wait
for the first event.

${MESSAGE_HELP}

${GLOBAL_HELP}

Examples:
  a2a stream my-org/echo --text "hello"
  a2a stream acme/writer --skill draft --text "A haiku about MQTT" --json | jq -c .
`,
  async run(context) {
    const [agent] = positionals(context, ["org/agent"]) as [string];
    const message = messageFrom(context);
    return withAgent(context, agent, (client) => printStream(context, client.sendStreamingMessage(agent, { message }, { signal: context.signal })));
  },
};
