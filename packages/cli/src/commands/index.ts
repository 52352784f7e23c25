import type { Command } from "../command.js";
import { aclCommand } from "./acl.js";
import { agentsCommand } from "./agents.js";
import { brokerCommand } from "./broker.js";
import { completionCommand } from "./completion.js";
import { gatewayCommand } from "./gateway.js";
import { sendCommand, streamCommand } from "./send.js";
import { uiCommand } from "./ui.js";
import { taskCancelCommand, taskGetCommand, taskListCommand, taskSubscribeCommand } from "./task.js";
import { usersAddCommand, usersListCommand, usersRemoveCommand } from "./users.js";

/**
 * Every command of `a2a`, in the order `a2a --help` lists them. A new command is one
 * module exporting a `Command`, added here; a name with a space (`"task get"`) makes a
 * subcommand of a group, created on first use.
 */
export const COMMANDS: readonly Command[] = [
  brokerCommand,
  usersAddCommand,
  usersListCommand,
  usersRemoveCommand,
  agentsCommand,
  sendCommand,
  streamCommand,
  taskGetCommand,
  taskCancelCommand,
  taskListCommand,
  taskSubscribeCommand,
  aclCommand,
  gatewayCommand,
  uiCommand,
  completionCommand,
];
