import { userMessage, type StreamResponse } from "@a2a/client";
import { createTopicScheme } from "@a2a/transport";
import { AgentsModel } from "./agents-model.js";
import { brokerUrlProblem, loadConfig, type ConsoleConfig } from "./config.js";
import { MeshConnection, type LinkStatus } from "./connection.js";
import { RequestRate } from "./request-rate.js";
import { TasksModel, type TaskEntry } from "./tasks-model.js";
import { AgentsView } from "./views/agents-view.js";
import { ComposerView, type Compose } from "./views/composer-view.js";
import { ConnectionView } from "./views/connection-view.js";
import { h } from "./views/dom.js";
import { LoginView } from "./views/login-view.js";
import { TaskListView } from "./views/task-list-view.js";
import { TaskView } from "./views/task-view.js";

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The console: one broker connection, the models, and the views drawn once per frame. */
export class ConsoleApp {
  readonly #agents = new AgentsModel();
  readonly #tasks = new TasksModel();
  readonly #rates = new RequestRate();
  readonly #linkView = new ConnectionView();
  readonly #login: LoginView;
  readonly #agentsView: AgentsView;
  readonly #composer: ComposerView;
  readonly #taskList: TaskListView;
  readonly #taskView: TaskView;
  #connection: MeshConnection | undefined;
  #session: AbortController | undefined;
  #url = "";
  /** Whether the broker lets this console see every request (else only its own count). */
  #observing = false;
  #selected: string | undefined;
  #frame = false;
  /** The agents changed (or a second passed: their "since" and rates age) since the last frame. */
  #agentsDirty = true;

  constructor(root: HTMLElement, config: ConsoleConfig) {
    this.#login = new LoginView({ config, onConnect: (c) => void this.connect(c) });
    this.#agentsView = new AgentsView({ onCompose: (agent, skill) => this.#composer.choose(agent, skill) });
    this.#composer = new ComposerView({ onSend: (m) => this.#send(m) });
    this.#taskList = new TaskListView((key) => this.#select(key));
    this.#taskView = new TaskView({ onAnswer: (e, a) => this.#answer(e, a), onCancel: (e) => void this.#cancel(e) });
    root.replaceChildren(
      h("header", { class: "top" }, h("h1", {}, "a2a console"), this.#linkView.root),
      this.#login.root,
      h(
        "main",
        { class: "grid" },
        h("div", { class: "col agents-col" }, this.#agentsView.root),
        h("div", { class: "col tasks-col" }, this.#composer.root, this.#taskList.root),
        h("div", { class: "col task-col" }, this.#taskView.root),
      ),
    );
    // "since" and the request rates age even when nothing happens.
    setInterval(() => {
      this.#agentsDirty = true;
      this.#schedule();
    }, 1000);
    this.#schedule();
  }

  async connect(config: ConsoleConfig & { username?: string; password?: string }): Promise<void> {
    const problem = brokerUrlProblem(config.broker);
    if (problem) return this.#login.showError(problem);
    this.#session?.abort();
    // The old connection winds down on its own; a new one need not wait for it.
    void this.#connection?.close();
    const session = new AbortController();
    this.#session = session;
    this.#url = config.broker;
    this.#login.showError("");
    const connection = new MeshConnection({
      url: config.broker,
      topicPrefix: config.topicPrefix,
      ...(config.username ? { username: config.username } : {}),
      ...(config.password ? { password: config.password } : {}),
      // A connection being replaced still reports its close; only the current one is shown.
      onStatus: (status) => {
        if (this.#connection === connection) this.#onStatus(status);
      },
    });
    this.#connection = connection;
    try {
      await connection.open(session.signal);
    } catch (error) {
      if (session.signal.aborted) return;
      this.#login.showError(`${messageOf(error)}. Check the URL, and the username and password if the broker asks for them.`);
      return;
    }
    this.#login.connected();
    void this.#watchAgents(connection, session.signal);
    void this.#observeRequests(connection, session.signal);
  }

  #onStatus(status: LinkStatus): void {
    this.#linkView.render(status, this.#url);
  }

  async #watchAgents(connection: MeshConnection, signal: AbortSignal): Promise<void> {
    try {
      for await (const event of connection.client.watchAgents({ signal })) {
        this.#agents.apply(event);
        this.#agentsDirty = true;
        this.#schedule();
      }
    } catch (error) {
      if (!signal.aborted) this.#login.showError(`Watching the agents failed: ${messageOf(error)}`);
    }
  }

  /**
   * Counts the requests on every agent's tasks topic, without reading them, where the
   * broker's ACL allows subscribing; otherwise the rates count this console's own requests.
   */
  async #observeRequests(connection: MeshConnection, signal: AbortSignal): Promise<void> {
    const topics = createTopicScheme({ prefix: connection.topicPrefix });
    try {
      const subscription = await connection.transport.subscribe(
        `${topics.prefix}+/+/tasks`,
        (message) => {
          const parsed = topics.parse(message.topic);
          if (parsed?.kind === "tasks") this.#rates.record(`${parsed.org}/${parsed.agent}`);
        },
        { qos: 0, signal },
      );
      this.#observing = !signal.aborted;
      signal.addEventListener("abort", () => void subscription.unsubscribe().catch(() => undefined), { once: true });
    } catch {
      this.#observing = false;
    }
  }

  #send(compose: Compose): void {
    const connection = this.#connection;
    if (connection === undefined) return;
    const message = userMessage({
      ...(compose.text !== undefined ? { text: compose.text } : {}),
      ...(compose.data !== undefined ? { data: compose.data } : {}),
      ...(compose.skill !== undefined ? { skill: compose.skill } : {}),
    });
    const entry = this.#tasks.create({ agentId: compose.agentId, skill: compose.skill, message });
    this.#select(entry.key);
    void this.#follow(entry, message);
  }

  #answer(entry: TaskEntry, answer: { text?: string; data?: unknown }): void {
    if (entry.taskId === undefined) return;
    const message = userMessage({
      ...answer,
      taskId: entry.taskId,
      ...(entry.contextId !== undefined ? { contextId: entry.contextId } : {}),
    });
    this.#tasks.addEvent(entry, { at: Date.now(), kind: "sent", from: "user", parts: message.parts });
    void this.#follow(entry, message);
  }

  /** Sends `message` as a stream (or blocking, to an agent without streaming) and applies every event. */
  async #follow(entry: TaskEntry, message: ReturnType<typeof userMessage>): Promise<void> {
    const connection = this.#connection;
    if (connection === undefined) return;
    if (!this.#observing) this.#rates.record(entry.agentId);
    delete entry.error;
    entry.following = true;
    this.#schedule();
    try {
      const streaming = this.#agents.get(entry.agentId)?.info.card.capabilities.streaming !== false;
      if (streaming) {
        for await (const event of connection.client.agent(entry.agentId).sendStreamingMessage({ message })) this.#apply(entry, event);
      } else {
        const result = await connection.client.agent(entry.agentId).sendMessage({ message });
        this.#apply(entry, result);
      }
    } catch (error) {
      this.#tasks.fail(entry, messageOf(error));
    } finally {
      entry.following = false;
      this.#schedule();
    }
  }

  #apply(entry: TaskEntry, event: StreamResponse): void {
    this.#tasks.apply(entry, event);
    this.#schedule();
  }

  async #cancel(entry: TaskEntry): Promise<void> {
    const connection = this.#connection;
    if (connection === undefined || entry.taskId === undefined) return;
    try {
      const task = await connection.client.agent(entry.agentId).cancelTask(entry.taskId);
      this.#tasks.applyTask(entry, task);
    } catch (error) {
      this.#tasks.fail(entry, `Cancel failed: ${messageOf(error)}`);
    }
    this.#schedule();
  }

  #select(key: string): void {
    this.#selected = key;
    this.#taskView.show(this.#tasks.get(key));
    this.#schedule();
  }

  /** One redraw per frame however many events arrived since the last. */
  #schedule(): void {
    if (this.#frame) return;
    this.#frame = true;
    const draw = () => {
      this.#frame = false;
      this.#render();
    };
    if (document.hidden) setTimeout(draw, 250);
    else requestAnimationFrame(draw);
  }

  #render(): void {
    if (this.#agentsDirty) {
      this.#agentsDirty = false;
      const agents = this.#agents.list();
      const now = Date.now();
      this.#agentsView.render(agents, (id) => this.#rates.perMinute(id, now), now);
      this.#composer.setAgents(agents);
    }
    this.#taskList.render(this.#tasks.list(), this.#selected);
    this.#taskView.render();
  }
}

export async function startConsole(root: HTMLElement): Promise<ConsoleApp> {
  const config = await loadConfig(window.location);
  const app = new ConsoleApp(root, config);
  if (config.broker !== "") void app.connect(config);
  return app;
}
