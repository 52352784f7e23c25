import { TASK_STATES, type TaskState } from "@a2a/schema";
import { integerOption, stringOption, type Command, type CommandContext } from "../command.js";
import { withAgent } from "../connect.js";
import { UsageError } from "../errors.js";
import { formatTask, json, shortState, table } from "../format.js";
import { printStream } from "./stream-printer.js";

/** `completed`, `input-required` or `TASK_STATE_COMPLETED` → `TASK_STATE_COMPLETED`. */
function parseState(raw: string, command: string): TaskState {
  const name = raw.startsWith("TASK_STATE_") ? raw : `TASK_STATE_${raw.toUpperCase().replaceAll("-", "_")}`;
  const state = TASK_STATES.find((s) => s === name);
  if (state === undefined || state === "TASK_STATE_UNSPECIFIED") {
    const names = TASK_STATES.filter((s) => s !== "TASK_STATE_UNSPECIFIED").map((s) => shortState(s));
    throw new UsageError(`--status ${JSON.stringify(raw)} is not a task state; use one of ${names.join(", ")}.`, command);
  }
  return state;
}

export const taskGetCommand: Command = {
  name: "task get",
  summary: "show a task: state, context and answer",
  arguments: ["<org/agent>", "<task-id>"],
  description: `Fetches a task (A2A GetTask) and prints its id, state, context and answer; with
--json the raw Task. Another client's task is not found: use the --client-id (or
--username) of the \`a2a send\` that started it.`,
  options: [{ flags: "--history <n>", description: "include the last N messages of the task's history" }],
  examples: ["a2a task get my-org/agent-001 0b6f3c1e-...", "a2a task get my-org/agent-001 0b6f3c1e-... --history 10 --json"],
  async run(context) {
    const [agent, id] = context.positionals as [string, string];
    const historyLength = integerOption(context, "history", { min: 0, max: 1000 });
    const task = await withAgent(context, agent, (client) =>
      client.agent(agent).getTask({ id, ...(historyLength === undefined ? {} : { historyLength }) }, { signal: context.signal }),
    );
    context.io.stdout.write(context.global.json ? json(task) : formatTask(task));
    return 0;
  },
};

export const taskCancelCommand: Command = {
  name: "task cancel",
  summary: "cancel a task",
  arguments: ["<org/agent>", "<task-id>"],
  description: `Cancels a running task (A2A CancelTask) and prints it (state canceled). Fails with
the agent's error when the task has already ended or does not exist.`,
  options: [],
  examples: ["a2a task cancel my-org/slow 0b6f3c1e-..."],
  async run(context) {
    const [agent, id] = context.positionals as [string, string];
    const task = await withAgent(context, agent, (client) => client.agent(agent).cancelTask(id, { signal: context.signal }));
    context.io.stdout.write(context.global.json ? json(task) : formatTask(task));
    return 0;
  },
};

export const taskListCommand: Command = {
  name: "task list",
  summary: "list an agent's tasks, newest first",
  arguments: ["<org/agent>"],
  description: `Lists the agent's tasks (A2A ListTasks), most recently updated first, as a table;
with --json the raw result (tasks, nextPageToken, pageSize, totalSize). Agents show a
client only the tasks it created (by its client id): give the same --client-id (or
--username) as to the \`a2a send\` that started them.`,
  options: [
    { flags: "--context <id>", description: "only tasks of this conversation" },
    { flags: "--status <state>", description: "only tasks in this state: submitted, working, completed, failed, canceled, input-required, rejected, auth-required" },
    { flags: "--page-size <n>", description: "tasks per page (1-100)" },
    { flags: "--page-token <token>", description: "the next page, as printed after the previous one" },
  ],
  examples: [
    "a2a task list my-org/agent-001",
    "a2a task list my-org/agent-001 --status working --page-size 20",
    "a2a task list my-org/agent-001 --context 9d2e... --json | jq '.tasks[].id'",
  ],
  async run(context) {
    const [agent] = context.positionals as [string];
    const contextId = stringOption(context, "context");
    const rawStatus = stringOption(context, "status");
    const pageSize = integerOption(context, "page-size", { min: 1, max: 100 });
    const pageToken = stringOption(context, "page-token");
    const params = {
      ...(contextId === undefined ? {} : { contextId }),
      ...(rawStatus === undefined ? {} : { status: parseState(rawStatus, context.name) }),
      ...(pageSize === undefined ? {} : { pageSize }),
      ...(pageToken === undefined ? {} : { pageToken }),
    };
    const result = await withAgent(context, agent, (client) => client.agent(agent).listTasks(params, { signal: context.signal }));
    if (context.global.json) {
      context.io.stdout.write(json(result));
      return 0;
    }
    const rows = result.tasks.map((t) => [t.id, shortState(t.status.state), t.contextId ?? "", t.status.timestamp ?? ""]);
    context.io.stdout.write(table(["TASK", "STATE", "CONTEXT", "UPDATED"], rows));
    context.io.stderr.write(`${result.tasks.length} of ${result.totalSize} task(s).`);
    context.io.stderr.write(result.nextPageToken ? ` Next page: --page-token ${result.nextPageToken}\n` : "\n");
    return 0;
  },
};

export const taskSubscribeCommand: Command = {
  name: "task subscribe",
  summary: "print a running task's events as they arrive",
  arguments: ["<org/agent>", "<task-id>"],
  description: `Follows a running task (A2A SubscribeToTask): prints the task, then each event as it
arrives, until it ends or needs input.`,
  options: [],
  examples: ["a2a task subscribe my-org/slow 0b6f3c1e-..."],
  async run(context: CommandContext) {
    const [agent, id] = context.positionals as [string, string];
    return withAgent(context, agent, (client) => printStream(context, client.agent(agent).subscribeToTask(id, { signal: context.signal })));
  },
};

