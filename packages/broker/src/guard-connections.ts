import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { Aedes, Client } from "aedes";
import type { BrokerLogger } from "./log.js";
import { PacketGuard, type PacketLimits } from "./packet-guard.js";

/** 1 MiB of payload (the agent's largest request) plus room for topic and properties. */
export const DEFAULT_MAX_PACKET_SIZE = 1024 * 1024 + 64 * 1024;
/** A CONNECT with credentials and an agent's offline card as will fits easily. */
export const DEFAULT_MAX_CONNECT_BYTES = 64 * 1024;

export interface GuardedHandler {
  /** Hands a TCP, TLS or WebSocket stream to aedes behind a PacketGuard. */
  handle: (stream: Duplex, request?: IncomingMessage) => void;
}

function remoteAddressOf(stream: Duplex, request: IncomingMessage | undefined): string | undefined {
  const socket = (request?.socket ?? stream) as Partial<Socket>;
  return socket.remoteAddress === undefined ? undefined : `${socket.remoteAddress}:${socket.remotePort}`;
}

/**
 * Puts every connection of `aedes` behind a PacketGuard with `limits`, and lifts the
 * pre-login limit once aedes has accepted the client's CONNECT.
 */
export function guardConnections(aedes: Aedes, limits: PacketLimits, log: BrokerLogger): GuardedHandler {
  aedes.on("client", (client: Client) => {
    if (client.conn instanceof PacketGuard) client.conn.markLoggedIn();
  });
  return {
    handle: (stream, request) => {
      const guard = new PacketGuard(stream, limits, ({ reason, bytesRead }) => {
        const remoteAddress = remoteAddressOf(stream, request);
        const message = `[a2a-broker] closed the connection from ${remoteAddress ?? "an unknown address"}: ${reason} (after ${bytesRead} bytes).`;
        log({ kind: "connection-closed", remoteAddress, reason, bytesRead, message });
      });
      aedes.handle(guard, request);
    },
  };
}
