import { isEnded, type TaskEntry } from "../tasks-model.js";
import { h, stateLabel, time } from "./dom.js";

interface TaskRow {
  root: HTMLLIElement;
  button: HTMLButtonElement;
  state: HTMLElement;
  count: HTMLElement;
}

/** Tasks in flight, then those recently ended; each opens in the task view. */
export class TaskListView {
  readonly root: HTMLElement;
  readonly #inFlight: HTMLUListElement;
  readonly #ended: HTMLUListElement;
  readonly #rows = new Map<string, TaskRow>();
  readonly #onSelect: (key: string) => void;

  constructor(onSelect: (key: string) => void) {
    this.#onSelect = onSelect;
    this.#inFlight = h("ul", { class: "tasks", "aria-label": "Tasks in flight" });
    this.#ended = h("ul", { class: "tasks", "aria-label": "Tasks recently ended" });
    this.root = h(
      "section",
      { class: "panel", "aria-labelledby": "tasks-title" },
      h("h2", { id: "tasks-title" }, "Tasks"),
      h("p", { class: "muted" }, "The tasks this console started. Tasks of other clients stay private to them; their requests show in each agent's rate."),
      h("h3", {}, "In flight"),
      this.#inFlight,
      h("h3", {}, "Recently ended"),
      this.#ended,
    );
  }

  render(tasks: TaskEntry[], selected: string | undefined): void {
    const keep = new Set(tasks.map((t) => t.key));
    for (const [key, row] of this.#rows) {
      if (!keep.has(key)) {
        row.root.remove();
        this.#rows.delete(key);
      }
    }
    const place = (list: HTMLUListElement, entries: TaskEntry[]) =>
      entries.forEach((entry, index) => {
        const row = this.#rows.get(entry.key) ?? this.#create(entry);
        if (list.children[index] !== row.root) list.insertBefore(row.root, list.children[index] ?? null);
        row.button.setAttribute("aria-pressed", String(entry.key === selected));
        const state = entry.state === "sending" ? "sending" : stateLabel(entry.state);
        row.state.textContent = state;
        row.root.dataset.state = state;
        row.count.textContent = `${entry.dropped + entry.events.length} events`;
      });
    place(this.#inFlight, tasks.filter((t) => !isEnded(t)));
    place(this.#ended, tasks.filter(isEnded));
  }

  #create(entry: TaskEntry): TaskRow {
    const state = h("span", { class: "state" });
    const count = h("span", { class: "count" });
    const button = h(
      "button",
      { type: "button", class: "task-row", onclick: () => this.#onSelect(entry.key) },
      h("span", { class: "what" }, `${entry.skill ?? "message"} → ${entry.agentId}`),
      " ",
      state,
      " ",
      h("time", {}, time(entry.startedAt)),
      " ",
      count,
    );
    const root = h("li", { "data-task": entry.key }, button);
    const row = { root, button, state, count };
    this.#rows.set(entry.key, row);
    return row;
  }
}
