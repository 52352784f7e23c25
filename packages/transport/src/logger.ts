/**
 * A structured logger, pino-compatible: an object of fields first, then the message.
 * Agents, clients, brokers and transports take one as their `logger` option; pino,
 * bunyan-style child loggers and console wrappers fit.
 */
export interface Logger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
}

/**
 * What a log line is about. The libraries set these names where they apply, so lines
 * of one task or one request can be found together (and beside its trace).
 */
export interface LogFields {
  /** `org/agent` of the agent the line is about. */
  agentId?: string;
  taskId?: string;
  /** The JSON-RPC request id. */
  requestId?: string | number | null;
  /** The JSON-RPC method. */
  method?: string;
  /** W3C trace id of the active span, when tracing. */
  traceId?: string;
  spanId?: string;
  /** The error the line reports. */
  err?: unknown;
  [field: string]: unknown;
}

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const ignore = (): void => undefined;

/** A logger that drops everything. */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/**
 * A logger writing one line per entry to stderr through `console`, from `level` up:
 * the message, then the fields as JSON (an `err` as its stack). The default of the
 * libraries, at `"warn"`.
 */
export function consoleLogger(options: { level?: LogLevel } = {}): Logger {
  const min = RANK[options.level ?? "warn"];
  const line =
    (level: Exclude<LogLevel, "silent">) =>
    (fields: LogFields, message: string): void => {
      if (RANK[level] < min) return;
      const { err, ...rest } = fields;
      const context = Object.keys(rest).length === 0 ? "" : ` ${safeJson(rest)}`;
      const write = level === "error" ? console.error : level === "warn" ? console.warn : console.log;
      if (err === undefined) write(`${message}${context}`);
      else write(`${message}${context}`, err);
    };
  return { debug: line("debug"), info: line("info"), warn: line("warn"), error: line("error") };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return "[unserialisable fields]";
  }
}

/** The error's message, for a log line's text. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
