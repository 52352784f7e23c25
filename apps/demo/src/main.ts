import { parseArgs } from "node:util";
import { startDemoConsole } from "./console.js";
import { runScenario } from "./scenario.js";
import { printSummary, summaryJson } from "./summary.js";
import { startSupplyChain } from "./supply-chain.js";
import { Trace } from "./trace.js";
import { startTracing } from "./tracing.js";

const USAGE = `Usage: pnpm demo [options]   (or: pnpm --filter demo start -- [options])

The a2a-mqtt supply chain: inventory, supplier, logistics and an orchestrator agent
fulfil orders over MQTT; the trace shows who says what to whom.

Options:
  --broker URL      use this MQTT broker (mqtt://, mqtts://, ws://, wss://) instead of
                    starting an embedded one
  --port N          port of the embedded broker (default: a free port)
  --keep-running    leave the broker and agents up after the scenario, until Ctrl-C
  --ui              serve the web console (as \`a2a ui\`) and keep running; the embedded
                    broker then also listens for MQTT over WebSocket
  --ui-port N       port of the web console (default: a free port)
  --json            print the trace on stderr and one JSON summary line on stdout
  --timeout MS      fail if the scenario takes longer (default 30000)
  --trace           print every OpenTelemetry span as it ends (one line each: trace,
                    span, parent, name, duration); see docs/observability.md
  --otlp URL        send the spans by OTLP/HTTP to a collector, e.g.
                    http://localhost:4318/v1/traces (Jaeger, the OpenTelemetry Collector)
  --no-color        plain output even on a terminal
  -h, --help        show this help

Exit status: 0 when every check passed, 1 when one failed, 2 for bad options.`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      // `pnpm --filter demo start -- --help` hands the script a leading "--" of its own.
      args: withoutLeadingSeparator(process.argv.slice(2)),
      options: {
        broker: { type: "string" },
        port: { type: "string" },
        "keep-running": { type: "boolean", default: false },
        ui: { type: "boolean", default: false },
        "ui-port": { type: "string" },
        json: { type: "boolean", default: false },
        timeout: { type: "string" },
        "no-color": { type: "boolean", default: false },
        trace: { type: "boolean", default: false },
        otlp: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const timeoutMs = args.timeout === undefined ? 30_000 : Number(args.timeout);
  const port = args.port === undefined ? 0 : Number(args.port);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) return usageError(`--timeout must be a positive number of milliseconds, not ${args.timeout}`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return usageError(`--port must be 0..65535, not ${args.port}`);
  if (args.broker !== undefined && !/^(mqtts?|wss?):\/\/.+/.test(args.broker)) {
    return usageError(`--broker must be an mqtt://, mqtts://, ws:// or wss:// URL, not ${args.broker}`);
  }
  if (args.broker !== undefined && args.port !== undefined) return usageError("--port is for the embedded broker; drop it when giving --broker");
  const uiPort = args["ui-port"] === undefined ? 0 : Number(args["ui-port"]);
  if (!Number.isInteger(uiPort) || uiPort < 0 || uiPort > 65535) return usageError(`--ui-port must be 0..65535, not ${args["ui-port"]}`);
  if (args.ui && args.broker !== undefined && !/^wss?:\/\//.test(args.broker)) {
    return usageError("--ui needs a broker the browser can reach over WebSocket: give --broker ws://… or wss://…, or leave --broker out");
  }
  const keepRunning = args["keep-running"] || args.ui;
  if (args.trace && args.json) return usageError("--trace prints spans on stdout, where --json writes its summary; use --otlp with --json");
  if (args.otlp !== undefined && !/^https?:\/\/.+/.test(args.otlp)) return usageError(`--otlp must be an http:// or https:// URL, not ${args.otlp}`);

  const out = args.json ? process.stderr : process.stdout;
  const trace = new Trace({
    write: (line) => out.write(`${line}\n`),
    color: !args["no-color"] && out.isTTY === true && process.env.NO_COLOR === undefined,
  });
  const stopTracing =
    args.trace || args.otlp !== undefined
      ? await startTracing({
          ...(args.trace ? { console: (line: string) => out.write(`${line}\n`) } : {}),
          ...(args.otlp === undefined ? {} : { otlpUrl: args.otlp }),
        })
      : undefined;
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort(new Error("interrupted (SIGINT)"));
  process.once("SIGINT", onSigint);

  let system;
  let consoleServer: Awaited<ReturnType<typeof startDemoConsole>> | undefined;
  try {
    trace.step("Starting the supply chain");
    system = await startSupplyChain({
      trace,
      port,
      ...(args.broker === undefined ? {} : { broker: args.broker }),
      ...(args.ui && args.broker === undefined ? { wsPort: 0 } : {}),
    });
    if (args.ui) {
      consoleServer = await startDemoConsole({ system, port: uiPort });
      trace.print(`Web console: ${consoleServer.url} (open it to watch the agents and talk to them)`);
    }
  } catch (error) {
    await system?.stop().catch(() => undefined);
    trace.fail("demo", error instanceof Error ? error.message : String(error));
    return 1;
  }
  const outcome = await runScenario({ trace, system, timeoutMs, signal: interrupt.signal });
  printSummary(trace, outcome);
  if (args.json) process.stdout.write(`${summaryJson(outcome)}\n`);

  if (keepRunning && !interrupt.signal.aborted) {
    process.off("SIGINT", onSigint);
    trace.print();
    const url = system.brokerUrl;
    trace.print(`The broker and the four agents keep running on ${url}. Talk to them with the a2a command (@a2a/cli), from this repository:`);
    trace.print(`  pnpm exec a2a agents --broker ${url}`);
    trace.print(`  pnpm exec a2a send acme/inventory --skill check-stock --data '{"skus":["PMP-2000","VLV-DN40"]}' --broker ${url}`);
    trace.print(
      `  pnpm exec a2a stream acme/orchestrator --skill fulfil-order --broker ${url} --data ` +
        `'{"orderId":"SO-2001","customer":"You","destination":{"city":"Aarhus","country":"DK"},"lines":[{"sku":"FLT-200","qty":2}]}'`,
    );
    if (consoleServer) trace.print(`or in the browser: ${consoleServer.url}`);
    trace.print(`or from code: new A2AClient({ broker: "${url}" }) (@a2a/client). Press Ctrl-C to stop.`);
    await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
  }
  await consoleServer?.close();
  await system.stop();
  await stopTracing?.();
  return outcome.ok ? 0 : 1;
}

function withoutLeadingSeparator(argv: string[]): string[] {
  return argv[0] === "--" ? argv.slice(1) : argv;
}

function usageError(message: string): number {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  return 2;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Should a socket linger after everything was closed, do not hang the terminal or CI.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`The demo crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
