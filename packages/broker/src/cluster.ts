// The module declaration for aedes-persistence-redis (untyped), also for programs that
// reach this file through a test rather than through this package's tsconfig.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./aedes-persistence-redis.d.ts" />
import { connect } from "node:net";
import type { Aedes, Client } from "aedes";
import aedesPersistenceRedis from "aedes-persistence-redis";
import mqemitterRedis from "mqemitter-redis";

/** Several embedded brokers sharing one Redis: any client may connect to any of them. */
export interface BrokerClusterOptions {
  /** The Redis every node of the cluster uses, e.g. `redis://127.0.0.1:6379`. */
  redis: string;
  /**
   * How often a node tells the others it is alive. A node not heard from for three
   * intervals is dead, and the wills of its clients that did not reconnect elsewhere
   * are published (an agent's offline card) within four more.
   * @default 60000
   */
  heartbeatIntervalMs?: number;
}

export interface OpenCluster {
  /** The aedes options: routing between nodes and the shared sessions. */
  aedesOptions: { mq: unknown; persistence: unknown; heartbeatInterval: number };
  /** Call once aedes is created. */
  attach(aedes: Aedes): void;
  close(): Promise<void>;
}

function redisOptions(url: string): { host: string; port: number; username?: string; password?: string; db?: number } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new RangeError(`cluster.redis must be a redis:// URL such as redis://127.0.0.1:6379, got ${JSON.stringify(url)}.`, { cause: error });
  }
  if (parsed.protocol !== "redis:") throw new RangeError(`cluster.redis must be a redis:// URL, got ${JSON.stringify(url)}.`);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  return {
    host: parsed.hostname,
    port: parsed.port === "" ? 6379 : Number(parsed.port),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db !== undefined && Number.isInteger(db) ? { db } : {}),
  };
}

/**
 * The aedes way to cluster: `mqemitter-redis` routes every message between the nodes,
 * `aedes-persistence-redis` keeps sessions, subscriptions, queued QoS 1 messages,
 * retained cards and wills in Redis, so a client that reconnects to another node finds
 * its session there.
 */
export async function openCluster(options: BrokerClusterOptions): Promise<OpenCluster> {
  const connection = redisOptions(options.redis);
  // The Redis clients would otherwise retry silently forever and the broker never start.
  await reachable({ host: connection.host, port: connection.port, url: options.redis });
  const mq = mqemitterRedis(connection);
  const persistence = aedesPersistenceRedis(connection);
  const heartbeatInterval = options.heartbeatIntervalMs ?? 60_000;
  return {
    aedesOptions: { mq, persistence, heartbeatInterval },
    attach(aedes) {
      // A client that comes back here after its node died left a will stored under that
      // node; aedes would publish it once the node is declared dead, marking an agent
      // offline that is online again. Its wills under other nodes go when it connects.
      aedes.on("clientReady", (client: Client) => {
        const nodes = Object.keys((aedes as unknown as { brokers: Record<string, number> }).brokers ?? {});
        for (const brokerId of nodes) {
          if (brokerId !== aedes.id) void persistence.delWill({ id: client.id, brokerId }).catch(() => undefined);
        }
      });
    },
    // aedes closes the emitter itself; the persistence is ours to close.
    close: () => persistence.destroy(),
  };
}

/** Resolves once something at host:port answers a Redis PING (any reply, even NOAUTH). */
function reachable({ host, port, url, timeoutMs = 5_000 }: { host: string; port: number; url: string; timeoutMs?: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (why: string) => {
      socket.destroy();
      reject(new Error(`Cannot reach Redis at ${url}: ${why}. Start redis-server there or give the right cluster.redis URL.`));
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      clearTimeout(timer);
      socket.destroy();
      if (data[0] === 0x2b || data[0] === 0x2d) resolve(); // "+PONG" or "-NOAUTH ...": a Redis server
      else reject(new Error(`Cannot reach Redis at ${url}: the server there does not speak the Redis protocol.`));
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      fail(error.message);
    });
  });
}
