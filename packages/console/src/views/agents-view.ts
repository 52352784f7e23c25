import type { AgentCard } from "@a2a/client";
import type { AgentEntry } from "../agents-model.js";
import { ago, fill, h, time } from "./dom.js";

interface AgentRow {
  root: HTMLElement;
  status: HTMLElement;
  since: HTMLElement;
  rate: HTMLElement;
  body: HTMLElement;
  cardJson: string;
}

export interface AgentsViewOptions {
  /** "Send a message" on an agent: preselects it (and the skill) in the composer. */
  onCompose(agentId: string, skillId?: string): void;
}

const STATUS_TEXT = { online: "online", offline: "offline", removed: "stopped" } as const;

/**
 * The agents, one card each, updated in place: an open card JSON, the focus and the
 * scroll position survive every event.
 */
export class AgentsView {
  readonly root: HTMLElement;
  readonly #list: HTMLElement;
  readonly #empty: HTMLElement;
  readonly #rows = new Map<string, AgentRow>();
  readonly #options: AgentsViewOptions;

  constructor(options: AgentsViewOptions) {
    this.#options = options;
    this.#empty = h("p", { class: "muted" }, "No agent has published a card yet.");
    this.#list = h("ul", { class: "agents", "aria-label": "Agents" });
    this.root = h("section", { class: "panel", "aria-labelledby": "agents-title" }, h("h2", { id: "agents-title" }, "Agents"), this.#empty, this.#list);
  }

  render(agents: AgentEntry[], ratePerMinute: (id: string) => number | undefined, now = Date.now()): void {
    this.#empty.hidden = agents.length > 0;
    agents.forEach((entry, index) => {
      const row = this.#rows.get(entry.info.id) ?? this.#create(entry);
      if (this.#list.children[index] !== row.root) this.#list.insertBefore(row.root, this.#list.children[index] ?? null);
      row.root.dataset.status = entry.status;
      row.status.textContent = STATUS_TEXT[entry.status];
      row.since.textContent = `since ${time(entry.since)} (${ago(entry.since, now)})`;
      row.since.title = new Date(entry.since).toISOString();
      const rate = ratePerMinute(entry.info.id);
      row.rate.textContent = rate === undefined ? "– req/min" : `${rate} req/min`;
      const cardJson = JSON.stringify(entry.info.card, null, 2);
      if (cardJson !== row.cardJson) {
        row.cardJson = cardJson;
        fill(row.body, ...this.#cardBody(entry.info.id, entry.info.card, cardJson));
      }
    });
  }

  #create(entry: AgentEntry): AgentRow {
    const id = entry.info.id;
    const status = h("span", { class: "status-text" });
    const since = h("span", { class: "since" });
    const rate = h("span", { class: "rate", title: "Requests to this agent seen in the last minute" });
    const body = h("div", { class: "agent-body" });
    const root = h(
      "li",
      { class: "agent", "data-agent": id, "aria-label": `Agent ${id}` },
      h(
        "div",
        { class: "agent-head" },
        h("span", { class: "dot", "aria-hidden": "true" }),
        h("h3", {}, entry.info.card.name, " ", h("code", {}, id)),
      ),
      h("p", { class: "agent-meta" }, status, " ", since, " · ", rate),
      body,
    );
    const row: AgentRow = { root, status, since, rate, body, cardJson: "" };
    this.#rows.set(id, row);
    return row;
  }

  #cardBody(id: string, card: AgentCard, cardJson: string): HTMLElement[] {
    const capabilities = Object.entries(card.capabilities ?? {}).filter(([, v]) => typeof v === "boolean");
    const pre = h("pre", { class: "json", tabindex: "0" });
    const details = h("details", { class: "card-json" }, h("summary", {}, "Agent Card JSON"), pre);
    // Filled when opened: a large card costs nothing until someone looks at it.
    details.addEventListener("toggle", () => {
      if (details.open) pre.textContent = cardJson;
    });
    return [
      h("p", { class: "description" }, card.description),
      h(
        "ul",
        { class: "badges", "aria-label": "Capabilities" },
        ...capabilities.map(([name, on]) => h("li", { class: on ? "badge on" : "badge off" }, `${name}${on ? "" : ": no"}`)),
      ),
      h(
        "ul",
        { class: "skills", "aria-label": `Skills of ${id}` },
        ...card.skills.map((skill) =>
          h(
            "li",
            { class: "skill" },
            h("strong", {}, skill.name), " ", h("code", {}, skill.id),
            skill.tags.length ? h("span", { class: "tags" }, ` ${skill.tags.map((t) => `#${t}`).join(" ")}`) : undefined,
            h("p", { class: "muted" }, skill.description),
            h("button", { type: "button", class: "link", onclick: () => this.#options.onCompose(id, skill.id), "aria-label": `Send a message to ${skill.id} of ${id}` }, "Send a message…"),
          ),
        ),
      ),
      details,
    ];
  }
}
