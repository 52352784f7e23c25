import { consoleLogger as structuredConsoleLogger, type Logger } from "@a2a/transport";

/** What the broker reports about refused connections and operations. */
export type BrokerLogEntry =
  | { kind: "auth-failed"; clientId: string; username: string | undefined; reason: string; message: string }
  | { kind: "publish-denied"; clientId: string; username: string | undefined; topic: string; will: boolean; message: string }
  | { kind: "subscribe-denied"; clientId: string; username: string | undefined; topic: string; message: string }
  | {
      kind: "connection-closed";
      /** `host:port` of the peer, when known. */
      remoteAddress: string | undefined;
      reason: string;
      /** Bytes read from the connection before it was closed. */
      bytesRead: number;
      message: string;
    };

/** Receives every refusal; `entry.message` is a complete human-readable line. */
export type BrokerLogger = (entry: BrokerLogEntry) => void;

/** The default logger: one warn-level line on stderr per refusal. */
export const consoleLogger: BrokerLogger = (entry) => defaultLogger.warn(fieldsOf(entry), entry.message);

const defaultLogger = structuredConsoleLogger();

/**
 * The broker's logger from its option: a function of the entry, or a structured logger
 * (pino-compatible), which gets each refusal as a warn line with the entry's fields.
 */
export function toBrokerLogger(logger: BrokerLogger | Logger | undefined): BrokerLogger {
  if (logger === undefined) return consoleLogger;
  if (typeof logger === "function") return logger;
  return (entry) => logger.warn(fieldsOf(entry), entry.message);
}

function fieldsOf(entry: BrokerLogEntry): Record<string, unknown> {
  const { message: _message, ...fields } = entry;
  return fields;
}

/** Formats "who" for a log line, e.g. `user "alice" (client id "alice")`. */
export function describeClient(clientId: string, username: string | undefined): string {
  const user = username === undefined ? "anonymous" : `user ${JSON.stringify(username)}`;
  return `${user} (client id ${JSON.stringify(clientId)})`;
}
