import type { AgentEntry } from "../agents-model.js";
import { h } from "./dom.js";

/** What the composer asks the app to send. */
export interface Compose {
  agentId: string;
  skill: string | undefined;
  text?: string;
  data?: unknown;
}

export interface ComposerOptions {
  onSend(message: Compose): void;
}

/** Parses the JSON field; a readable reason when it is not JSON. */
export function parseJsonInput(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: `The message is not valid JSON: ${(error as Error).message}` };
  }
}

/** The form that sends a message (text or JSON data) to one skill of an online agent. */
export class ComposerView {
  readonly root: HTMLElement;
  readonly #agent: HTMLSelectElement;
  readonly #skill: HTMLSelectElement;
  readonly #json: HTMLInputElement;
  readonly #input: HTMLTextAreaElement;
  readonly #error: HTMLElement;
  readonly #send: HTMLButtonElement;
  #agents: AgentEntry[] = [];
  #agentIds = "";

  constructor(options: ComposerOptions) {
    this.#agent = h("select", { id: "compose-agent", name: "agent", onchange: () => this.#fillSkills() });
    this.#skill = h("select", { id: "compose-skill", name: "skill", onchange: () => this.#fillExample() });
    this.#json = h("input", { type: "checkbox", id: "compose-json", name: "json" });
    this.#input = h("textarea", { id: "compose-input", name: "message", rows: 5, spellcheck: "false" });
    this.#error = h("p", { class: "error", role: "alert", id: "compose-error" });
    this.#send = h("button", { type: "submit" }, "Send and follow");
    const form = h(
      "form",
      { class: "composer", "aria-labelledby": "compose-title" },
      h("div", { class: "field" }, h("label", { for: "compose-agent" }, "Agent"), this.#agent),
      h("div", { class: "field" }, h("label", { for: "compose-skill" }, "Skill"), this.#skill),
      h("div", { class: "field" }, h("label", { for: "compose-input" }, "Message"), this.#input),
      h("div", { class: "field inline" }, this.#json, h("label", { for: "compose-json" }, "Send as JSON data")),
      this.#error,
      this.#send,
    );
    this.#input.setAttribute("aria-describedby", "compose-error");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const message = this.#read();
      if (message) options.onSend(message);
    });
    this.root = h("section", { class: "panel", "aria-labelledby": "compose-title" }, h("h2", { id: "compose-title" }, "Send a message"), form);
  }

  /** Keeps the agent list in step; the current choice stays selected. */
  setAgents(agents: AgentEntry[]): void {
    this.#agents = agents.filter((a) => a.status === "online");
    // Agents and their skills: a card republished with other skills refreshes the lists too.
    const ids = this.#agents.map((a) => `${a.info.id} ${a.info.card.skills.map((s) => s.id).join(",")}`).join("\n");
    if (ids === this.#agentIds) return;
    this.#agentIds = ids;
    const chosen = this.#agent.value;
    this.#agent.replaceChildren(...this.#agents.map((a) => h("option", { value: a.info.id }, a.info.id)));
    const chosenSkill = this.#skill.value;
    if (this.#agents.some((a) => a.info.id === chosen)) this.#agent.value = chosen;
    this.#send.disabled = this.#agents.length === 0;
    if (this.#agent.value !== chosen) {
      this.#fillSkills();
    } else {
      // Same agent: keep the skill (and the message being written) when it is still offered.
      const skills = this.#agents.find((a) => a.info.id === chosen)?.info.card.skills ?? [];
      this.#skill.replaceChildren(...skills.map((s) => h("option", { value: s.id }, `${s.name} (${s.id})`)));
      if (skills.some((s) => s.id === chosenSkill)) this.#skill.value = chosenSkill;
      else this.#fillExample();
    }
  }

  /** Preselects an agent and skill and moves the focus to the message. */
  choose(agentId: string, skillId?: string): void {
    if (!this.#agents.some((a) => a.info.id === agentId)) return;
    this.#agent.value = agentId;
    this.#fillSkills();
    if (skillId !== undefined) {
      this.#skill.value = skillId;
      this.#fillExample();
    }
    this.#input.focus();
  }

  #fillSkills(): void {
    const agent = this.#agents.find((a) => a.info.id === this.#agent.value);
    const skills = agent?.info.card.skills ?? [];
    this.#skill.replaceChildren(...skills.map((s) => h("option", { value: s.id }, `${s.name} (${s.id})`)));
    this.#fillExample();
  }

  /** The skill's first example as a starting point; JSON examples switch to JSON data. */
  #fillExample(): void {
    const agent = this.#agents.find((a) => a.info.id === this.#agent.value);
    const example = agent?.info.card.skills.find((s) => s.id === this.#skill.value)?.examples?.[0];
    if (example === undefined) return;
    this.#input.value = example;
    this.#json.checked = parseJsonInput(example).ok && /^\s*[[{]/.test(example);
  }

  #read(): Compose | undefined {
    const agentId = this.#agent.value;
    const text = this.#input.value;
    this.#error.textContent = "";
    if (agentId === "") {
      this.#error.textContent = "No agent is online to send to.";
      return undefined;
    }
    if (text.trim() === "") {
      this.#error.textContent = "Write a message first.";
      this.#input.focus();
      return undefined;
    }
    const skill = this.#skill.value === "" ? undefined : this.#skill.value;
    if (!this.#json.checked) return { agentId, skill, text };
    const parsed = parseJsonInput(text);
    if (!parsed.ok) {
      this.#error.textContent = parsed.error;
      this.#input.focus();
      return undefined;
    }
    return { agentId, skill, data: parsed.value };
  }
}
