import { BlockList, isIP } from "node:net";

/** Where a push notification config's `url` points. */
export type PushTarget = { kind: "http"; url: URL } | { kind: "mqtt"; topic: string };

/** Which webhook addresses an agent may call. */
export interface AddressPolicy {
  /** 10/8, 172.16/12, 192.168/16, 100.64/10 and fc00::/7. */
  allowPrivateNetworks: boolean;
  /** 127/8 and ::1 (including `localhost`). */
  allowLoopback: boolean;
}

const MAX_URL_LENGTH = 2048;
const MAX_TOPIC_BYTES = 1024;

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

const privateNets = new BlockList();
for (const [net, prefix] of [["10.0.0.0", 8], ["172.16.0.0", 12], ["192.168.0.0", 16], ["100.64.0.0", 10]] as const) {
  privateNets.addSubnet(net, prefix, "ipv4");
}
privateNets.addSubnet("fc00::", 7, "ipv6");

// Never a webhook: "this network", link-local (cloud metadata services live at
// 169.254.169.254), multicast, broadcast, unspecified.
const neverNets = new BlockList();
for (const [net, prefix] of [["0.0.0.0", 8], ["169.254.0.0", 16], ["224.0.0.0", 4], ["240.0.0.0", 4]] as const) {
  neverNets.addSubnet(net, prefix, "ipv4");
}
neverNets.addAddress("::", "ipv6");
neverNets.addSubnet("fe80::", 10, "ipv6");
neverNets.addSubnet("ff00::", 8, "ipv6");

/** Why `address` (an IP literal) may not be called under `policy`, or undefined when it may. */
export function blockedAddressReason(address: string, policy: AddressPolicy): string | undefined {
  const ip = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const family = isIP(ip);
  if (family === 0) return `${address} is not an IP address`;
  // An IPv6 form that reaches an IPv4 address (mapped, NAT64, IPv4-compatible, 6to4) is
  // checked as that IPv4 address: a NAT64 gateway turns 64:ff9b::a9fe:a9fe into 169.254.169.254.
  const embedded = family === 6 ? embeddedIpv4(ip) : undefined;
  if (embedded !== undefined) {
    const reason = blockedAddressReason(embedded.ipv4, policy);
    return reason === undefined ? undefined : `${address} (${embedded.form} form of ${embedded.ipv4}): ${reason}`;
  }
  const type = family === 4 ? "ipv4" : "ipv6";
  if (neverNets.check(ip, type)) return `${address} is a link-local, multicast or unspecified address`;
  if (loopback.check(ip, type) && !policy.allowLoopback) return `${address} is a loopback address (allowLoopback is off)`;
  if (privateNets.check(ip, type) && !policy.allowPrivateNetworks) {
    return `${address} is a private network address (allowPrivateNetworks is off)`;
  }
  return undefined;
}

/**
 * Parses and checks a config's url. Webhooks: `http:`/`https:` without credentials in
 * the URL, and an IP literal host must pass the address policy (host names are
 * checked when resolved, at every delivery). Broker delivery: `mqtt:///{topic}` (no
 * host: the broker the agent is connected to), a topic without wildcards, not in the
 * reserved `discovery/` namespace and not one of `forbiddenTopics`.
 * Returns the target or a message naming what is wrong.
 */
export function parsePushTarget(
  raw: string,
  policy: AddressPolicy,
  forbiddenTopics: readonly string[] = [],
): { ok: true; target: PushTarget } | { ok: false; error: string } {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, error: `must be at most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: "must be an absolute URL" };
  }
  if (url.protocol === "mqtt:") return parseMqttTarget(url, forbiddenTopics);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, error: `must use http, https or mqtt:///{topic}, not ${url.protocol.slice(0, -1)}` };
  }
  if (url.username !== "" || url.password !== "") {
    return { ok: false, error: "must not carry credentials; use the config's authentication instead" };
  }
  if (url.hostname === "") return { ok: false, error: "must name a host" };
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(host) !== 0) {
    const reason = blockedAddressReason(host, policy);
    if (reason !== undefined) return { ok: false, error: `is not allowed: ${reason}` };
  } else if ((host === "localhost" || host.endsWith(".localhost")) && !policy.allowLoopback) {
    return { ok: false, error: "is not allowed: localhost is a loopback address (allowLoopback is off)" };
  }
  return { ok: true, target: { kind: "http", url } };
}

function parseMqttTarget(url: URL, forbiddenTopics: readonly string[]): { ok: true; target: PushTarget } | { ok: false; error: string } {
  if (url.host !== "" || url.username !== "" || url.password !== "") {
    return { ok: false, error: "an mqtt push URL names no broker: use mqtt:///{topic} (the broker this agent is connected to)" };
  }
  if (url.search !== "" || url.hash !== "") return { ok: false, error: "an mqtt push URL has no query or fragment" };
  let topic: string;
  try {
    topic = decodeURIComponent(url.pathname.replace(/^\/+/, ""));
  } catch {
    return { ok: false, error: "the topic is not valid percent-encoded UTF-8" };
  }
  if (topic === "") return { ok: false, error: "must name a topic: mqtt:///{topic}" };
  if (Buffer.byteLength(topic) > MAX_TOPIC_BYTES) return { ok: false, error: `the topic must be at most ${MAX_TOPIC_BYTES} bytes` };
  // eslint-disable-next-line no-control-regex
  if (/[+#\u0000-\u001f\u007f-\u009f]/.test(topic)) return { ok: false, error: "the topic must not contain wildcards (+ #) or control characters" };
  if (topic.startsWith("$")) return { ok: false, error: "the topic must not start with $ (broker-reserved)" };
  if (topic === "discovery" || topic.startsWith("discovery/") || forbiddenTopics.includes(topic)) {
    return { ok: false, error: `the topic ${topic} is reserved by the binding` };
  }
  return { ok: true, target: { kind: "mqtt", topic } };
}

/** The 8 groups of an IPv6 address (valid per `isIP`), an IPv4 tail included. */
function ipv6Groups(ip: string): number[] {
  let text = ip.split("%")[0]!;
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail !== null) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", rest] = text.split("::") as [string, string | undefined];
  const left = head === "" ? [] : head.split(":");
  const right = rest === undefined || rest === "" ? [] : rest.split(":");
  const zeros = rest === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => "0");
  return [...left, ...zeros, ...right].map((group) => Number.parseInt(group, 16));
}

/** The IPv4 address an IPv6 address stands for, and the form it takes, if any. */
function embeddedIpv4(ip: string): { ipv4: string; form: string } | undefined {
  const g = ipv6Groups(ip);
  const dotted = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(5) && g[5] === 0xffff) return { ipv4: dotted(g[6]!, g[7]!), form: "IPv4-mapped" };
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return { ipv4: dotted(g[6]!, g[7]!), form: "NAT64" };
  // RFC 8215 local-use NAT64 prefix 64:ff9b:1::/48 (the address in the last 32 bits).
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return { ipv4: dotted(g[6]!, g[7]!), form: "NAT64" };
  // ::a.b.c.d, but not :: and ::1 (IPv6's own unspecified and loopback addresses).
  if (zeroUpTo(6) && (g[6] !== 0 || g[7]! > 1)) return { ipv4: dotted(g[6]!, g[7]!), form: "IPv4-compatible" };
  if (g[0] === 0x2002) return { ipv4: dotted(g[1]!, g[2]!), form: "6to4" };
  return undefined;
}
