import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Transport } from "@a2a/transport";
import { MqttTransport, type MqttTransportOptions } from "@a2a/transport/mqtt";
import { createBroker, createUser, toMosquittoConfig, type Broker, type BrokerLogEntry, type BrokerUser } from "@a2a/broker";
import { mosquittoTestConfig, spawnMosquitto, waitFor, type MosquittoProcess, type TestPki } from "@a2a/testing";

export const PASSWORDS = {
  "acme/echo": "echo-secret",
  "acme/other": "other-secret",
  alice: "alice-secret",
  bob: "bob-secret",
} as const;

/** Two agents and two clients; cheap hash parameters keep the suites fast. */
export function fixtureUsers(): Promise<BrokerUser[]> {
  const fast = { scrypt: { cost: 1024 }, mosquitto: { iterations: 1_000 } };
  return Promise.all([
    createUser({ username: "acme/echo", role: "agent", password: PASSWORDS["acme/echo"], ...fast }),
    createUser({ username: "acme/other", role: "agent", password: PASSWORDS["acme/other"], ...fast }),
    createUser({ username: "alice", role: "client", password: PASSWORDS.alice, ...fast }),
    createUser({ username: "bob", role: "client", password: PASSWORDS.bob, ...fast }),
  ]);
}

export interface FixtureBrokerOptions {
  /** TLS on every listener with this PKI's server certificate. @default no TLS */
  pki?: TestPki;
  /** With `pki`: whether clients must present a certificate. @default "optional" */
  clientCertificates?: "optional" | "required";
  /** Also a WebSocket listener (on a free port). @default false */
  websocket?: boolean;
  /** Where the broker reports what it refused. @default dropped */
  logger?: (entry: BrokerLogEntry) => void;
}

/** The embedded broker on free ports with the fixture users, and TLS from `pki`. */
export async function fixtureBroker(options: FixtureBrokerOptions = {}): Promise<Broker> {
  const { pki } = options;
  return createBroker({
    port: 0,
    ...(options.websocket ? { wsPort: 0 } : {}),
    users: await fixtureUsers(),
    ...(pki ? { tls: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca, clientCertificates: options.clientCertificates ?? "optional" } } : {}),
    logger: options.logger ?? (() => {}),
  });
}

const open: Transport[] = [];

/** A connected MqttTransport with quick reconnects, closed by `closeTransports()`. */
export async function connectedTransport(options: MqttTransportOptions): Promise<MqttTransport> {
  const transport = new MqttTransport({ reconnect: { initialDelayMs: 20, maxDelayMs: 200 }, connectTimeoutMs: 5_000, ...options });
  open.push(transport);
  await transport.connect();
  return transport;
}

export async function closeTransports(): Promise<void> {
  await Promise.all(open.splice(0).map((t) => t.close()));
}

export const text = (payload: Uint8Array) => new TextDecoder().decode(payload);

/**
 * Lower quartile of 21 sequential QoS 1 request/reply round trips, in ms. The replier
 * acknowledges the request and publishes the reply back to back: the pattern Nagle's
 * algorithm delays by ~40 ms when a socket lacks TCP_NODELAY.
 */
export async function typicalFastRoundTripMs(requester: Transport, replier: Transport, topics: { request: string; reply: string }): Promise<number> {
  const server = await replier.subscribe(topics.request, () => void replier.publish(topics.reply, "pong", { qos: 1 }));
  let resolveNext: (() => void) | undefined;
  const client = await requester.subscribe(topics.reply, () => resolveNext?.());
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const got = new Promise<void>((resolve) => (resolveNext = resolve));
    const start = performance.now();
    await requester.publish(topics.request, "ping", { qos: 1 });
    await waitFor(got, { message: "the reply" });
    times.push(performance.now() - start);
  }
  await Promise.all([server.unsubscribe(), client.unsubscribe()]);
  // The lower quartile, not the median: a loaded machine delays some round trips, while
  // Nagle's ~40 ms delayed ACK hits every one of them.
  return times.sort((x, y) => x - y)[5]!;
}

/**
 * Writes the export of `toMosquittoConfig(options)` into `dir` and runs `mosquitto -c`
 * on it, resolving once every listener accepts TCP connections.
 */
export async function runExportedMosquitto(dir: string, options: Parameters<typeof toMosquittoConfig>[0]): Promise<MosquittoProcess> {
  const files = { passwordFile: join(dir, "passwd"), aclFile: join(dir, "acl") };
  const exported = toMosquittoConfig({ ...options, files });
  writeFileSync(files.passwordFile, exported.passwordFile);
  writeFileSync(files.aclFile, exported.aclFile);
  const configFile = join(dir, "mosquitto.conf");
  writeFileSync(configFile, `${exported.conf}\n${mosquittoTestConfig()}`);
  const ports = [options.port ?? 1883, ...(options.wsPort === undefined ? [] : [options.wsPort])];
  return spawnMosquitto({ configFile, ports });
}
