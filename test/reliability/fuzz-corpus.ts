/**
 * Hostile payloads for an agent's tasks topic, generated from a seed so that a failure
 * reproduces. Every case says whether the agent can answer it (it knows a reply topic
 * and the request is not a notification) and is built so that the answer is a JSON-RPC
 * error; `valid` cases are well-formed tasks that must complete.
 */

/** A small, fast PRNG (mulberry32); the same seed gives the same sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface FuzzCase {
  kind: string;
  payload: Uint8Array | string;
  /** MQTT 5 properties (only in MQTT 5 mode). */
  properties?: { responseTopic?: string; correlationData?: Uint8Array; userProperties?: Record<string, string> };
  /** The agent knows where to answer, and answers with an error. */
  answerable: boolean;
  /** A well-formed task that must complete; its JSON-RPC id. */
  validId?: string;
}

export interface CorpusOptions {
  seed: number;
  /** Reply topic of the garbage. */
  garbageTopic: string;
  /** Reply topic of the well-formed tasks. */
  validTopic: string;
  /** The agent's payload limit; oversize cases exceed it. */
  maxPayloadBytes: number;
  /** Put the reply topic in MQTT 5 properties for some cases (then even bytes are answerable). */
  mqtt5: boolean;
  /** Share of well-formed tasks. @default 0.02 */
  validShare?: number;
}

const HOSTILE_STRINGS = [
  "",
  "/",
  "a/b/c",
  "+",
  "#",
  "tasks/#",
  "\u0000",
  "\u0001\u001f\u007f\u009f",
  "../../etc/passwd",
  "\ud800",
  "é🙂\u202e",
  "$SYS/broker",
  " ",
  "null",
  "__proto__",
  "constructor",
];

/** A generator of cases; call `next()` as often as needed. */
export class FuzzCorpus {
  readonly #o: CorpusOptions;
  readonly #random: () => number;
  #n = 0;

  constructor(options: CorpusOptions) {
    this.#o = options;
    this.#random = prng(options.seed);
  }

  next(): FuzzCase {
    this.#n++;
    if (this.#random() < (this.#o.validShare ?? 0.02)) return this.#valid();
    const makers = [
      () => this.#randomBytes(),
      () => this.#truncated(),
      () => this.#nonObject(),
      () => this.#deepNesting(),
      () => this.#wrongTypes(),
      () => this.#hugeString(),
      () => this.#v03Mix(),
      () => this.#hostileIds(),
      () => this.#badEnvelope(),
      () => this.#unknownMethod(),
      () => this.#notification(),
      () => this.#badReplyTopic(),
      () => this.#badVersion(),
      () => this.#oversize(),
      () => this.#compactWithoutId(),
      () => this.#prototypeKeys(),
    ];
    const made = makers[Math.floor(this.#random() * makers.length)]!();
    return this.#o.mqtt5 && this.#random() < 0.3 ? this.#withProperties(made) : made;
  }

  // ---- helpers ----

  #int(max: number): number {
    return Math.floor(this.#random() * max);
  }

  #pick<T>(items: readonly T[]): T {
    return items[this.#int(items.length)]!;
  }

  #id(): string {
    return `f${this.#o.seed}-${this.#n}`;
  }

  #hostile(): string {
    // Long, but a few of them together stay under the payload limit (so they are answered).
    if (this.#random() < 0.1) return "x".repeat(1_000 + this.#int(Math.floor(this.#o.maxPayloadBytes / 8)));
    if (this.#random() < 0.3) return Array.from({ length: 1 + this.#int(40) }, () => String.fromCharCode(this.#int(0x3000))).join("");
    return this.#pick(HOSTILE_STRINGS);
  }

  #envelope(method: string, params: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      jsonrpc: "2.0",
      id: this.#id(),
      method,
      params,
      replyTo: this.#o.garbageTopic,
      serviceParams: { "A2A-Version": "1.0" },
      ...extra,
    };
  }

  #json(value: unknown, answerable: boolean, kind: string): FuzzCase {
    return { kind, payload: JSON.stringify(value), answerable };
  }

  // ---- case makers ----

  #valid(): FuzzCase {
    const id = `v${this.#o.seed}-${this.#n}`;
    const request = {
      jsonrpc: "2.0",
      id,
      method: "SendMessage",
      params: { message: { messageId: id, role: "ROLE_USER", parts: [{ data: { key: id } }] } },
      replyTo: this.#o.validTopic,
      serviceParams: { "A2A-Version": "1.0" },
    };
    return { kind: "valid", payload: JSON.stringify(request), answerable: true, validId: id };
  }

  #randomBytes(): FuzzCase {
    const bytes = new Uint8Array(this.#int(2_000));
    for (let i = 0; i < bytes.length; i++) bytes[i] = this.#int(256);
    // A lone "{" or digit could make valid JSON by chance; a leading 0xff never is UTF-8.
    if (bytes.length > 0) bytes[0] = 0xff;
    return { kind: "random-bytes", payload: bytes, answerable: false };
  }

  #truncated(): FuzzCase {
    const full = JSON.stringify(this.#envelope("SendMessage", { message: { messageId: "m", role: "ROLE_USER", parts: [{ text: "hi" }] } }));
    // Cut inside the object: never valid JSON, so the reply topic stays unknown.
    return { kind: "truncated-json", payload: full.slice(0, this.#int(full.length - 1)), answerable: false };
  }

  #nonObject(): FuzzCase {
    const values = [[1, 2, 3], "a string", 42, null, true, [], [{ jsonrpc: "2.0", id: 1, method: "GetTask", replyTo: this.#o.garbageTopic }]];
    return this.#json(this.#pick(values), false, "non-object");
  }

  #deepNesting(): FuzzCase {
    const depth = 1_000 + this.#int(9_000);
    const nested = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const where = this.#pick(["params", "metadata", "part"]);
    const head = { jsonrpc: "2.0", id: this.#id(), method: "SendMessage", replyTo: this.#o.garbageTopic, serviceParams: { "A2A-Version": "1.0" } };
    const prefix = JSON.stringify(head).slice(0, -1);
    let payload: string;
    if (where === "params") payload = `${prefix},"params":${nested}}`;
    else if (where === "metadata") {
      // Valid message, but the skill named in metadata does not exist: -32602.
      payload = `${prefix},"params":{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"x"}],"metadata":{"skillId":"no-such-skill","deep":${nested}}}}}`;
    } else {
      payload = `${prefix},"params":{"message":{"messageId":"m","role":"ROLE_WRONG","parts":[{"data":${nested}}]}}}`;
    }
    return { kind: `deep-nesting-${where}`, payload, answerable: true };
  }

  #wrongTypes(): FuzzCase {
    const method = this.#pick(["SendMessage", "GetTask", "CancelTask", "ListTasks", "SubscribeToTask", "SendStreamingMessage"]);
    const params = this.#pick<unknown>([
      [],
      "params",
      42,
      { id: 42 },
      { id: null },
      { message: "hello" },
      { message: { messageId: 1, role: "ROLE_USER", parts: [{ text: "x" }] } },
      { message: { messageId: "m", role: "ROLE_USER", parts: "text" } },
      { message: { messageId: "m", role: "ROLE_USER", parts: [] } },
      { message: { messageId: "m", role: "ROLE_USER", parts: [{ text: 5 }] } },
      { message: { messageId: "m", role: 7, parts: [{ text: "x" }] } },
      { pageSize: "ten", includeArtifacts: "yes" },
      { pageSize: -1 },
      { historyLength: "all", id: "t" },
    ]);
    // ListTasks takes only optional filters: just a shape that is surely invalid.
    const chosen = method === "ListTasks" ? { pageSize: "ten", includeArtifacts: "yes" } : params;
    return this.#json(this.#envelope(method, chosen), true, "wrong-types");
  }

  #hugeString(): FuzzCase {
    // Large, yet under the payload limit so that it is parsed and answered.
    const huge = "A".repeat(Math.floor(this.#o.maxPayloadBytes * (0.2 + 0.25 * this.#random())));
    const params = this.#pick<unknown>([
      { message: { messageId: huge, role: "ROLE_USER", parts: [] } },
      { message: { messageId: "m", role: huge, parts: [{ text: huge }] } },
      { id: huge },
      { message: { messageId: "m", role: "ROLE_USER", parts: [{ text: huge }], metadata: { skillId: huge } } },
    ]);
    const method = "id" in (params as object) ? "GetTask" : "SendMessage";
    return this.#json(this.#envelope(method, params), true, "huge-string");
  }

  #v03Mix(): FuzzCase {
    const variants: Array<[string, unknown]> = [
      ["message/send", { message: { kind: "message", messageId: "m", role: "user", parts: [{ kind: "text", text: "x" }], metadata: { skillId: "no-such-skill" } } }],
      ["message/send", { message: { messageId: "m", role: "ROLE_USER", parts: [{ kind: "file", file: { bytes: 5 } }] } }],
      ["message/stream", { message: { kind: "message", role: "agent", parts: [{ kind: "data" }] } }],
      ["tasks/get", { id: this.#hostile() }],
      ["tasks/cancel", { id: this.#hostile() }],
      ["tasks/resubscribe", { id: this.#hostile() }],
      ["tasks/pushNotificationConfig/set", { taskId: this.#hostile(), pushNotificationConfig: { url: "http://x" } }],
      ["agent/getAuthenticatedExtendedCard", {}],
      ["SendMessage", { message: { kind: "message", messageId: "m", role: "ROLE_AGENT", parts: [{ kind: "text", text: "x" }], metadata: { skillId: "nope" } } }],
    ];
    const [method, params] = this.#pick(variants);
    return this.#json(this.#envelope(method, params), true, "v03-mix");
  }

  #hostileIds(): FuzzCase {
    const id = this.#pick<unknown>([this.#hostile(), 0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2, { a: 1 }, [1], true]);
    const method = this.#pick(["GetTask", "CancelTask", "SubscribeToTask"]);
    return this.#json(this.#envelope(method, { id: this.#hostile() }, { id }), true, "hostile-ids");
  }

  #badEnvelope(): FuzzCase {
    const variant = this.#int(4);
    const base = this.#envelope("GetTask", { id: "t" });
    if (variant === 0) base.jsonrpc = "1.0";
    else if (variant === 1) base.jsonrpc = 2;
    else if (variant === 2) delete base.jsonrpc;
    else base.method = this.#pick<unknown>(["", 5, null, ["GetTask"]]);
    return this.#json(base, true, "bad-envelope");
  }

  #unknownMethod(): FuzzCase {
    return this.#json(this.#envelope(this.#pick(["nope", "tasks/", "GETTASK", "sendmessage", this.#hostile() || "x"]), {}), true, "unknown-method");
  }

  #notification(): FuzzCase {
    const request = this.#envelope("GetTask", { id: "no-such-task" });
    delete request.id;
    return this.#json(request, false, "notification");
  }

  #badReplyTopic(): FuzzCase {
    const replyTo = this.#pick<unknown>(["replies/#", "replies/+/x", "", "a\u0000b", 5, null, "x".repeat(2_000)]);
    return this.#json(this.#envelope("GetTask", { id: "t" }, { replyTo }), false, "bad-reply-topic");
  }

  #badVersion(): FuzzCase {
    const version = this.#pick(["2.0", "0.2", "banana", "1", ""]);
    return this.#json(this.#envelope("GetTask", { id: "t" }, { serviceParams: { "A2A-Version": version } }), true, "bad-version");
  }

  #oversize(): FuzzCase {
    const filler = "B".repeat(this.#o.maxPayloadBytes + 1 + this.#int(1_000));
    // The limit is checked before parsing: without MQTT 5 properties the reply topic is unknown.
    return this.#json(this.#envelope("SendMessage", { message: { messageId: "m", role: "ROLE_USER", parts: [{ text: filler }] } }), false, "oversize");
  }

  #compactWithoutId(): FuzzCase {
    return this.#json({ operation: "work", taskId: "t", params: { message: "x" }, replyTo: this.#o.garbageTopic }, false, "compact-without-id");
  }

  #prototypeKeys(): FuzzCase {
    const payload = `{"jsonrpc":"2.0","id":"${this.#id()}","method":"SendMessage","replyTo":${JSON.stringify(this.#o.garbageTopic)},"serviceParams":{"A2A-Version":"1.0"},"__proto__":{"polluted":true},"params":{"__proto__":{"message":1},"constructor":{"prototype":{"x":1}},"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"x"}],"metadata":{"skillId":"__proto__"}}}}`;
    return { kind: "prototype-keys", payload, answerable: true };
  }

  /** MQTT 5: the reply topic as a property; now the agent can answer even bytes. */
  #withProperties(made: FuzzCase): FuzzCase {
    if (made.kind === "valid") return made;
    const answerable = made.kind !== "notification" && made.kind !== "compact-without-id";
    const correlationData = new TextEncoder().encode(this.#id());
    return {
      ...made,
      kind: `${made.kind}+properties`,
      properties: { responseTopic: this.#o.garbageTopic, correlationData, userProperties: { "A2A-Version": "1.0" } },
      answerable,
    };
  }
}
