/**
 * @a2a/cli: the `a2a` command. The bin is `dist/cli.js`; `main` runs a command line
 * in-process (e.g. to embed the commands in another tool).
 *
 * @example
 * import { main } from "@a2a/cli";
 * process.exitCode = await main(["agents", "--json"]);
 */
export { main, MAIN_HELP } from "./main.js";
export { EXIT, CliError, UsageError, type ExitCode } from "./errors.js";
export type { CliIo } from "./command.js";
export { startConsoleServer, type ConsoleServer, type ConsoleServerOptions } from "./ui/console-server.js";
