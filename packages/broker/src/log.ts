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

/** The default logger: one `console.warn` line per refusal. */
export const consoleLogger: BrokerLogger = (entry) => console.warn(entry.message);

/** Formats "who" for a log line, e.g. `user "alice" (client id "alice")`. */
export function describeClient(clientId: string, username: string | undefined): string {
  const user = username === undefined ? "anonymous" : `user ${JSON.stringify(username)}`;
  return `${user} (client id ${JSON.stringify(clientId)})`;
}
