import { readFile } from "node:fs/promises";
import { createTopicScheme } from "@a2a/transport";
import { z } from "zod";

/**
 * A mosquitto bridge from a site's (edge) broker to a central one, for the topic scheme
 * of docs/binding.md: which topics go which way. Written into the edge broker's
 * mosquitto.conf by `toMosquittoConfig({ bridges })`.
 */
export interface MosquittoBridgeOptions {
  /** The bridge's name (`connection`), one word. */
  name: string;
  /** The central broker, `host:port`. */
  address: string;
  /**
   * `"agents-at-edge"`: the site's agents serve clients of the centre (cards, results and
   * replies go out, requests come in). `"clients-at-edge"`: the site's clients call agents
   * of the centre (requests go out; cards and the replies to this site's clients come in).
   */
  direction: "agents-at-edge" | "clients-at-edge";
  /**
   * `agents-at-edge`: the orgs whose agents run at this site; only their topics cross.
   * `clients-at-edge`: the client ids (usernames) of this site's clients, whose replies come in.
   */
  scope: readonly string[];
  /** The user the bridge logs in as on the central broker. */
  username: string;
  password: string;
  /** Topic prefix of the scheme, as for the ACL. @default "" */
  prefix?: string;
  /** The bridge's client id on the central broker. @default `a2a-bridge.{name}` */
  clientId?: string;
}

const WORD = /^[A-Za-z0-9_.-]{1,64}$/;

/** The `connection` block of one bridge, for the edge broker's mosquitto.conf. */
export function mosquittoBridgeLines(options: MosquittoBridgeOptions): string[] {
  if (!WORD.test(options.name)) throw new RangeError(`Bridge name ${JSON.stringify(options.name)}: use 1-64 letters, digits, '.', '_' or '-'.`);
  if (!/^[^\s:]+:\d{1,5}$/.test(options.address)) throw new RangeError(`Bridge address ${JSON.stringify(options.address)}: use host:port.`);
  if (options.scope.length === 0) throw new RangeError(`Bridge ${options.name}: scope lists no ${options.direction === "agents-at-edge" ? "org" : "client"}; nothing would cross.`);
  for (const value of [options.username, options.password, options.clientId ?? ""]) {
    // mosquitto.conf is line- and space-separated: no whitespace, no control characters.
    // eslint-disable-next-line no-control-regex
    if (/[\s\u0000-\u001f]/.test(value)) throw new RangeError(`Bridge ${options.name}: usernames, passwords and client ids in mosquitto.conf cannot contain whitespace.`);
  }
  const scheme = createTopicScheme({ prefix: options.prefix ?? "" });
  const p = scheme.prefix;
  const lines = [
    `# a2a-mqtt bridge "${options.name}" (${options.direction}) to ${options.address}.`,
    `connection ${options.name}`,
    `address ${options.address}`,
    "bridge_protocol_version mqttv50",
    `remote_clientid ${options.clientId ?? `a2a-bridge.${options.name}`}`,
    `remote_username ${options.username}`,
    `remote_password ${options.password}`,
    // Requests and replies queued while the link is down are delivered when it returns.
    "cleansession false",
    "try_private true",
    "notifications false",
  ];
  // `topic <pattern> <direction> <qos>`; org ids and client ids are validated as topic levels.
  if (options.direction === "agents-at-edge") {
    for (const org of options.scope) {
      scheme.discovery(org, "x"); // validates the org id
      const tasks = `${p}${org}/+/tasks`;
      lines.push(
        `topic ${p}discovery/${org}/# out 1`,
        `topic ${tasks} in 1`,
        `topic ${tasks}/+ in 1`,
        `topic ${p}${org}/+/results out 1`,
      );
    }
    lines.push(`topic ${p}replies/# out 1`);
  } else {
    lines.push(`topic ${p}discovery/# in 1`, `topic ${p}+/+/tasks out 1`, `topic ${p}+/+/tasks/+ out 1`);
    for (const clientId of options.scope) lines.push(`topic ${scheme.repliesFilter(clientId).replace(/\/\+$/, "/#")} in 1`);
  }
  return lines;
}

const bridgeSchema = z.object({
  name: z.string(),
  address: z.string(),
  direction: z.enum(["agents-at-edge", "clients-at-edge"]),
  scope: z.array(z.string()).min(1),
  username: z.string(),
  password: z.string(),
  prefix: z.string().optional(),
  clientId: z.string().optional(),
});

/** A bridges file: `{ "bridges": [MosquittoBridgeOptions, ...] }` (JSON; it holds the bridges' passwords). */
export const bridgesFileSchema = z.object({ bridges: z.array(bridgeSchema) });

/** Reads and checks a bridges file; the error names the file and each problem. */
export async function loadBridgesFile(path: string): Promise<MosquittoBridgeOptions[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new Error(`Cannot read the bridges file ${path}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = bridgesFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`The bridges file ${path} is not valid: ${issues}.`);
  }
  const bridges = parsed.data.bridges.map(({ prefix, clientId, ...rest }) => ({
    ...rest,
    ...(prefix === undefined ? {} : { prefix }),
    ...(clientId === undefined ? {} : { clientId }),
  }));
  for (const bridge of bridges) mosquittoBridgeLines(bridge);
  return bridges;
}
