import { startConsoleServer } from "./console-server.js";

export interface RunUiOptions {
  /** The broker's `ws://` or `wss://` URL, as the browser will reach it. */
  broker: string;
  topicPrefix?: string;
  /** @default 7070 */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  io: { stdout: { write(text: string): unknown }; stderr: { write(text: string): unknown } };
  /** Stops serving when aborted (Ctrl-C). */
  signal: AbortSignal;
}

/**
 * `a2a ui`: serves the web console until `signal` aborts. Prints the page's URL on
 * stdout (for scripts) and a line on stderr saying what runs.
 */
export async function runUi(options: RunUiOptions): Promise<void> {
  const server = await startConsoleServer({
    broker: options.broker,
    ...(options.topicPrefix === undefined ? {} : { topicPrefix: options.topicPrefix }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.host === undefined ? {} : { host: options.host }),
  });
  options.io.stdout.write(`${server.url}\n`);
  options.io.stderr.write(`a2a console on ${server.url} (the page connects to ${options.broker}). Ctrl-C to stop.\n`);
  try {
    if (!options.signal.aborted) await new Promise<void>((resolve) => options.signal.addEventListener("abort", () => resolve(), { once: true }));
  } finally {
    await server.close();
  }
}
