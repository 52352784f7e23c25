import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { Aedes, type Client, type ConnectPacket } from "aedes";
import { aclRulesFor, type AclPolicyOptions, type AclRule } from "./acl-policy.js";
import { createAuthenticator } from "./authenticate.js";
import { checkWill, installAuthorizer } from "./authorize.js";
import { DEFAULT_MAX_CONNECT_BYTES, DEFAULT_MAX_PACKET_SIZE, guardConnections } from "./guard-connections.js";
import { openCluster, type BrokerClusterOptions, type OpenCluster } from "./cluster.js";
import { toBrokerLogger, type BrokerLogger } from "./log.js";
import type { Logger } from "@a2a/transport";
import { openPersistence, type BrokerPersistenceOptions, type OpenPersistence } from "./persistence.js";
import { tlsServerOptions, type BrokerTlsOptions } from "./tls.js";
import { loadUsersFile, resolveUsers, type BrokerUser, type ResolvedUser } from "./users.js";
import { createWebSocketListener, type WebSocketListener } from "./websocket.js";

export interface CreateBrokerOptions {
  /** MQTT port (MQTT over TLS when `tls` is set). `0` picks a free port; read it from `broker.port`. @default 1883 */
  port?: number;
  /** Interface to listen on; use `"0.0.0.0"` to accept other machines. @default "127.0.0.1" */
  host?: string;
  /** Also listen for MQTT over WebSocket (browsers) on this port; `0` picks a free one. @default undefined (no WebSocket) */
  wsPort?: number;
  /** Serve MQTT (and WebSocket) over TLS, optionally with client certificates. @default undefined (plain TCP) */
  tls?: BrokerTlsOptions;
  /**
   * Who may connect: a list of users or the path of a users file (`{ "users": [...] }`).
   * Without users the broker is open: anyone may connect and use any topic, which is
   * meant for a first try on one machine only.
   * @default undefined (open broker)
   */
  users?: readonly BrokerUser[] | string;
  /** The ACL derived from the topic scheme, or `false` for authentication only. Needs `users`. @default {} */
  acl?: AclPolicyOptions | false;
  /** Keep retained cards, persistent sessions and queued QoS 1 messages across restarts. @default undefined (in memory) */
  persistence?: BrokerPersistenceOptions;
  /**
   * Run as one node of a cluster sharing one Redis (routing, sessions, queued messages,
   * retained cards and wills), so clients may connect to any node and fail over to
   * another. Every node needs the same `users` and `acl`. Replaces `persistence`.
   * @default undefined (a single broker)
   */
  cluster?: BrokerClusterOptions;
  /**
   * Largest MQTT packet a logged-in client may send, in bytes (fixed header included).
   * Checked on the packet's header as it arrives, so a larger packet closes the
   * connection before its body is read. The default leaves room for the agent's
   * largest request (1 MiB of payload) and its topic and properties.
   * @default 1114112 (1 MiB + 64 KiB)
   */
  maxPacketSize?: number;
  /**
   * Most bytes a connection may send before it has logged in: its CONNECT, whose will
   * (an agent's offline card) must fit, and anything sent before the CONNACK. The first
   * packet must be CONNECT; anything else closes the connection at once.
   * @default 65536
   */
  maxConnectBytes?: number;
  /** Largest MQTT over WebSocket message, in bytes. @default maxPacketSize */
  maxWebSocketPayload?: number;
  /**
   * Receives refused connections and denied operations: a function of each entry, or a
   * structured logger (pino-compatible `{ debug, info, warn, error }`), which gets them
   * as warn lines with the entry's fields (`kind`, `clientId`, `username`, `topic`).
   * @default one warn line each on stderr
   */
  logger?: BrokerLogger | Logger;
}

/** A running broker. */
export interface Broker {
  /** The MQTT (or MQTT over TLS) port actually listened on. */
  readonly port: number;
  /** `mqtt://host:port`, or `mqtts://` with TLS. */
  readonly url: string;
  /** The WebSocket port, when `wsPort` was given. */
  readonly wsPort: number | undefined;
  /** `ws://host:port`, or `wss://` with TLS, when `wsPort` was given. */
  readonly wsUrl: string | undefined;
  /** The aedes instance, for events such as `client` or `publish`. */
  readonly aedes: Aedes;
  /** Disconnects every client, stops listening and closes the persistence. */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(new Error(`Cannot listen on ${host}:${port}: ${error.message}`, { cause: error }));
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * Starts an MQTT 3.1.1 broker (aedes) for agents and clients: from an open broker on
 * localhost for a first try, to users with hashed passwords or client certificates, TLS,
 * the ACL of the topic scheme, WebSocket for browsers and a persistent store.
 * @example
 * const broker = await createBroker({ port: 0 });
 * console.log(broker.url); // mqtt://127.0.0.1:41234
 * await broker.close();
 */
export async function createBroker(options: CreateBrokerOptions = {}): Promise<Broker> {
  const host = options.host ?? "127.0.0.1";
  const log = toBrokerLogger(options.logger);
  const userList = typeof options.users === "string" ? await loadUsersFile(options.users) : options.users;
  const users = userList ? resolveUsers(userList) : undefined;
  if (!users && options.acl) throw new RangeError("acl needs users: give users (or a users file) to know who is who.");

  if (options.cluster && options.persistence) {
    throw new RangeError("Give either persistence (one broker) or cluster (the nodes keep their state in Redis), not both.");
  }

  const parts: Parts = {};
  try {
    parts.store = options.persistence ? await openPersistence(options.persistence) : undefined;
    parts.cluster = options.cluster ? await openCluster(options.cluster) : undefined;

    const identities = new WeakMap<Client, ResolvedUser>();
    const wills = new WeakMap<Client, ConnectPacket["will"]>();
    const aclOptions = options.acl === false ? undefined : (options.acl ?? {});
    const rulesByUser = new Map<string, AclRule[]>();
    const rulesOf = (user: ResolvedUser) => {
      let rules = rulesByUser.get(user.username);
      if (!rules) rulesByUser.set(user.username, (rules = aclRulesFor(user, aclOptions)));
      return rules;
    };

    const aedes = await Aedes.createBroker({
      ...(parts.store ? { persistence: parts.store.persistence } : {}),
      ...(parts.cluster ? parts.cluster.aedesOptions : {}),
      ...(users
        ? {
            // Remember the will, so it can be checked against the ACL once we know who connects.
            preConnect: (client: Client, packet: ConnectPacket, callback: (error: Error | null, success: boolean) => void) => {
              wills.set(client, packet.will);
              callback(null, true);
            },
            authenticate: createAuthenticator({
              users,
              log,
              identities,
              ...(aclOptions ? { check: (client: Client, user: ResolvedUser) => checkWill(rulesOf(user), wills.get(client)) } : {}),
            }),
          }
        : {}),
    });
    parts.aedes = aedes;
    parts.cluster?.attach(aedes);
    if (users && aclOptions) installAuthorizer(aedes, { identities, rulesOf, log });

    const limits = {
      maxPacketSize: options.maxPacketSize ?? DEFAULT_MAX_PACKET_SIZE,
      maxConnectBytes: options.maxConnectBytes ?? DEFAULT_MAX_CONNECT_BYTES,
    };
    const guarded = guardConnections(aedes, limits, log);
    const onSocket = (socket: Socket) => {
      // MQTT packets are small and latency-bound: Nagle would add ~40 ms per round trip.
      socket.setNoDelay(true);
      guarded.handle(socket);
    };
    const server: Server = options.tls ? createTlsServer(tlsServerOptions(options.tls), onSocket) : createTcpServer(onSocket);
    parts.server = server;
    const port = await listen(server, options.port ?? 1883, host);

    let wsPort: number | undefined;
    if (options.wsPort !== undefined) {
      parts.ws = createWebSocketListener({
        handle: guarded.handle,
        tls: options.tls,
        maxPayload: options.maxWebSocketPayload ?? limits.maxPacketSize,
      });
      wsPort = await listen(parts.ws.server, options.wsPort, host);
    }

    const scheme = options.tls ? "mqtts" : "mqtt";
    let closing: Promise<void> | undefined;
    return {
      port,
      url: `${scheme}://${urlHost(host)}:${port}`,
      wsPort,
      wsUrl: wsPort === undefined ? undefined : `${options.tls ? "wss" : "ws"}://${urlHost(host)}:${wsPort}`,
      aedes,
      close: () => (closing ??= shutdown(parts)),
    };
  } catch (error) {
    await shutdown(parts);
    throw error;
  }
}

interface Parts {
  store?: OpenPersistence | undefined;
  cluster?: OpenCluster | undefined;
  aedes?: Aedes;
  server?: Server;
  ws?: WebSocketListener;
}

// Stop listening first (so nobody reconnects), then disconnect every client, and close
// the store last, after aedes has written the final session state.
async function shutdown(parts: Parts): Promise<void> {
  const serverClosed = parts.server?.listening ? closeServer(parts.server) : Promise.resolve();
  await parts.ws?.close();
  if (parts.aedes) {
    const aedes = parts.aedes;
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
  }
  await serverClosed;
  await parts.store?.close();
  await parts.cluster?.close();
}
