import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, createWebSocketStream } from "ws";
import { tlsServerOptions, type BrokerTlsOptions } from "./tls.js";

export interface WebSocketListener {
  readonly server: HttpServer;
  close(): Promise<void>;
}

export interface WebSocketListenerOptions {
  /** Hands a connection to the broker (through the packet size guard). */
  handle: (stream: Duplex, request: IncomingMessage) => void;
  tls: BrokerTlsOptions | undefined;
  /** Largest WebSocket message accepted. */
  maxPayload: number;
}

/**
 * MQTT over WebSocket for browsers (`ws://host:wsPort` or `wss://` with TLS): each
 * WebSocket becomes a duplex stream handed to aedes together with the HTTP request, so
 * a TLS client certificate can be found on `request.socket`.
 */
export function createWebSocketListener(options: WebSocketListenerOptions): WebSocketListener {
  const server = options.tls ? createHttpsServer(tlsServerOptions(options.tls)) : createHttpServer();
  server.on("connection", (socket: Socket) => socket.setNoDelay(true));
  server.on("secureConnection", (socket: Socket) => socket.setNoDelay(true));
  const wss = new WebSocketServer({ server, maxPayload: options.maxPayload });
  wss.on("connection", (ws, request) => {
    const stream = createWebSocketStream(ws);
    // aedes owns the stream's lifecycle; a broken socket must not become an uncaught error.
    stream.on("error", () => stream.destroy());
    options.handle(stream, request);
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }),
  };
}
