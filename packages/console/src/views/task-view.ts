import { isEnded, isWaiting, type TaskEntry } from "../tasks-model.js";
import { parseJsonInput } from "./composer-view.js";
import { fill, h, stateLabel, time } from "./dom.js";
import { partsView } from "./parts-view.js";
import { TimelineView } from "./timeline-view.js";

export interface TaskViewOptions {
  onAnswer(entry: TaskEntry, answer: { text?: string; data?: unknown }): void;
  onCancel(entry: TaskEntry): void;
}

/** The selected task: its state, transitions, artifacts, events and what can be done. */
export class TaskView {
  readonly root: HTMLElement;
  readonly #title: HTMLElement;
  readonly #state: HTMLElement;
  readonly #meta: HTMLElement;
  readonly #transitions: HTMLOListElement;
  readonly #artifacts: HTMLElement;
  readonly #answerForm: HTMLFormElement;
  readonly #answer: HTMLInputElement;
  readonly #answerJson: HTMLInputElement;
  readonly #answerError: HTMLElement;
  readonly #cancel: HTMLButtonElement;
  readonly #error: HTMLElement;
  readonly #timeline = new TimelineView();
  readonly #body: HTMLElement;
  readonly #empty: HTMLElement;
  #entry: TaskEntry | undefined;
  #artifactsShown = "";

  constructor(options: TaskViewOptions) {
    this.#title = h("h2", { id: "task-title" }, "Task");
    this.#state = h("span", { class: "state", role: "status", "aria-live": "polite", "aria-label": "Task state" });
    this.#meta = h("p", { class: "task-meta" });
    this.#transitions = h("ol", { class: "transitions", "aria-label": "State changes" });
    this.#artifacts = h("div", { class: "artifacts" });
    this.#error = h("p", { class: "error", role: "alert" });
    this.#cancel = h("button", { type: "button", class: "danger", onclick: () => this.#entry && options.onCancel(this.#entry) }, "Cancel task");
    this.#answer = h("input", { type: "text", id: "answer-input", name: "answer", autocomplete: "off" });
    this.#answerJson = h("input", { type: "checkbox", id: "answer-json", name: "answer-json" });
    this.#answerError = h("p", { class: "error", role: "alert" });
    this.#answerForm = h(
      "form",
      { class: "answer", "aria-label": "Answer the question" },
      h("div", { class: "field" }, h("label", { for: "answer-input" }, "Your answer"), this.#answer),
      h("div", { class: "field inline" }, this.#answerJson, h("label", { for: "answer-json" }, "Send as JSON data")),
      this.#answerError,
      h("button", { type: "submit" }, "Send answer"),
    );
    this.#answerForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const entry = this.#entry;
      const text = this.#answer.value;
      if (entry === undefined || text.trim() === "") return;
      this.#answerError.textContent = "";
      if (this.#answerJson.checked) {
        const parsed = parseJsonInput(text);
        if (!parsed.ok) {
          this.#answerError.textContent = parsed.error;
          return;
        }
        options.onAnswer(entry, { data: parsed.value });
      } else {
        options.onAnswer(entry, { text });
      }
      this.#answer.value = "";
    });
    this.#empty = h("p", { class: "muted" }, "Send a message to a skill, or pick a task from the list, to follow it here.");
    this.#body = h(
      "div",
      { class: "task-body" },
      h("div", { class: "task-head" }, this.#state, this.#meta),
      h("div", { class: "actions" }, this.#cancel),
      this.#error,
      this.#answerForm,
      h("section", { "aria-label": "State changes" }, h("h3", {}, "States"), this.#transitions),
      h("section", { "aria-label": "Artifacts" }, h("h3", {}, "Artifacts"), this.#artifacts),
      this.#timeline.root,
    );
    this.root = h("section", { class: "panel task", "aria-labelledby": "task-title" }, this.#title, this.#empty, this.#body);
    this.#body.hidden = true;
  }

  get entry(): TaskEntry | undefined {
    return this.#entry;
  }

  show(entry: TaskEntry | undefined): void {
    if (entry !== this.#entry) this.#artifactsShown = "";
    this.#entry = entry;
    this.render();
  }

  render(): void {
    const entry = this.#entry;
    this.#empty.hidden = entry !== undefined;
    this.#body.hidden = entry === undefined;
    if (entry === undefined) return;
    this.#title.textContent = `Task: ${entry.skill ?? "message"} on ${entry.agentId}`;
    const state = entry.state === "sending" ? "sending" : stateLabel(entry.state);
    this.#state.textContent = state;
    this.#state.dataset.state = state;
    this.#meta.textContent = `task ${entry.taskId ?? "(not yet created)"} · started ${time(entry.startedAt)}${entry.following ? " · following" : ""}`;
    this.#cancel.disabled = entry.taskId === undefined || isEnded(entry);
    this.#answerForm.hidden = !isWaiting(entry);
    this.#error.textContent = entry.error ?? "";
    if (this.#transitions.children.length !== entry.transitions.length || this.#transitions.dataset.key !== entry.key) {
      this.#transitions.dataset.key = entry.key;
      this.#transitions.replaceChildren(...entry.transitions.map((t) => h("li", { "data-state": stateLabel(t.state) }, h("time", {}, time(t.at)), " ", stateLabel(t.state))));
    }
    // Artifacts change rarely; they are rebuilt only when one did.
    const artifactsKey = [...entry.artifacts.values()].map((a) => `${a.artifactId}:${a.parts.length}`).join(",");
    if (artifactsKey !== this.#artifactsShown) {
      this.#artifactsShown = artifactsKey;
      fill(
        this.#artifacts,
        ...(entry.artifacts.size === 0
          ? [h("p", { class: "muted" }, "None yet.")]
          : [...entry.artifacts.values()].map((a) =>
              h("article", { class: "artifact-card" }, h("h4", {}, a.name ?? a.artifactId), a.description ? h("p", { class: "muted" }, a.description) : undefined, partsView(a.parts)),
            )),
      );
    }
    this.#timeline.render(entry);
  }
}
