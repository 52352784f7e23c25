import { A2AClient } from "@a2a/client";
import { MqttTransport } from "@a2a/transport/mqtt";

export type LinkState = "connecting" | "connected" | "reconnecting" | "closed";

/** The broker connection as the header shows it. */
export interface LinkStatus {
  state: LinkState;
  /** When the state last changed (ms since epoch). */
  since: number;
  /** Connections re-established after a drop. */
  reconnects: number;
  /** The last connection error, cleared on connect. */
  error?: string;
}

export interface ConnectOptions {
  url: string;
  username?: string;
  password?: string;
  topicPrefix: string;
  onStatus: (status: LinkStatus) => void;
}

/**
 * One MQTT over WebSocket connection with an A2A client on it, like any other client of
 * the broker: its own client id, the broker's authentication and ACL. Clean session:
 * the console keeps nothing on the broker between visits.
 */
export class MeshConnection {
  readonly transport: MqttTransport;
  readonly client: A2AClient;
  readonly topicPrefix: string;
  #status: LinkStatus = { state: "connecting", since: Date.now(), reconnects: 0 };
  readonly #onStatus: (status: LinkStatus) => void;

  constructor(options: ConnectOptions) {
    this.topicPrefix = options.topicPrefix;
    this.#onStatus = options.onStatus;
    const id = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, "0")).join("");
    this.transport = new MqttTransport({
      url: options.url,
      // A broker with the topic scheme's ACL lets a user read only replies/{username}/...,
      // so a logged-in console is its user's client id (a second tab takes the connection over).
      clientId: options.username ? options.username : `a2a-console-${id}`,
      clean: true,
      ...(options.username ? { username: options.username } : {}),
      ...(options.password ? { password: options.password } : {}),
      reconnect: { initialDelayMs: 500, maxDelayMs: 5_000 },
      connectTimeoutMs: 5_000,
    });
    this.transport.on("connected", ({ reconnected }) =>
      this.#set({ state: "connected", reconnects: this.#status.reconnects + (reconnected ? 1 : 0), error: undefined }),
    );
    this.transport.on("disconnected", ({ error }) =>
      this.#set({ state: "reconnecting", ...(error ? { error: error.message } : {}) }),
    );
    this.transport.on("error", (error) => this.#set({ error: error.message }));
    this.client = new A2AClient({ broker: this.transport, topicPrefix: options.topicPrefix, timeoutMs: 30_000 });
  }

  get status(): LinkStatus {
    return this.#status;
  }

  async open(signal?: AbortSignal): Promise<void> {
    this.#onStatus(this.#status);
    await this.transport.connect(signal ? { signal } : {});
    await this.client.connect(signal ? { signal } : {});
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => undefined);
    await this.transport.close().catch(() => undefined);
    this.#set({ state: "closed" });
  }

  #set(change: Partial<LinkStatus>): void {
    const next = { ...this.#status, ...change };
    if (change.state !== undefined && change.state !== this.#status.state) next.since = Date.now();
    if (change.error === undefined && "error" in change) delete next.error;
    this.#status = next;
    this.#onStatus(next);
  }
}
