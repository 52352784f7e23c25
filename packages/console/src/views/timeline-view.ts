import type { TaskEntry, TimelineEvent } from "../tasks-model.js";
import { h, stateLabel, time } from "./dom.js";
import { partsView } from "./parts-view.js";

/**
 * Events rendered at once. A task keeps up to 20,000 events; the page shows the newest
 * ones, so a task with thousands of events costs the browser no more than one with a
 * few hundred.
 */
export const RENDERED_EVENTS = 200;

function eventView(event: TimelineEvent): HTMLElement {
  const label =
    event.kind === "sent" ? "sent" : event.kind === "error" ? "error" : event.state ? stateLabel(event.state) : event.kind;
  return h(
    "li",
    { class: `event ${event.kind}`, "data-n": event.n },
    h("div", { class: "event-head" }, h("span", { class: "n" }, `#${event.n}`), h("time", {}, time(event.at)), h("span", { class: "label" }, label), event.note ? h("span", { class: "note" }, event.note) : undefined),
    event.parts.length ? partsView(event.parts) : undefined,
  );
}

/**
 * A task's events, newest at the bottom, appended as they arrive. The box follows the
 * newest event while the reader is at the bottom, and stays put once they scrolled up.
 */
export class TimelineView {
  readonly root: HTMLElement;
  readonly #list: HTMLOListElement;
  readonly #scroller: HTMLElement;
  readonly #summary: HTMLElement;
  #key: string | undefined;
  #lastShown = 0;

  constructor() {
    this.#summary = h("p", { class: "timeline-summary", "aria-live": "off" });
    this.#list = h("ol", { class: "timeline", "aria-label": "Task events" });
    this.#scroller = h("div", { class: "timeline-scroll", tabindex: "0", role: "region", "aria-label": "Task events, newest last" }, this.#list);
    this.root = h("section", { class: "timeline-panel", "aria-label": "Events" }, h("h3", {}, "Events"), this.#summary, this.#scroller);
  }

  render(entry: TaskEntry): void {
    const events = entry.events;
    const last = events[events.length - 1]?.n ?? 0;
    // Read before changing the list: the layout of the last frame is still valid, so this costs nothing.
    const atBottom = this.#scroller.scrollHeight - this.#scroller.scrollTop - this.#scroller.clientHeight < 40;
    const switched = entry.key !== this.#key;
    if (switched || last - this.#lastShown > RENDERED_EVENTS || last < this.#lastShown) {
      this.#key = entry.key;
      this.#list.replaceChildren(...events.slice(-RENDERED_EVENTS).map(eventView));
    } else if (last > this.#lastShown) {
      const fresh = events.slice(events.length - (last - this.#lastShown));
      this.#list.append(...fresh.map(eventView));
      const extra = this.#list.children.length - RENDERED_EVENTS;
      if (extra > 0) {
        const range = document.createRange();
        range.setStartBefore(this.#list.firstElementChild!);
        range.setEndBefore(this.#list.children[extra]!);
        range.deleteContents();
      }
    }
    this.#lastShown = last;
    const total = last;
    const hidden = total - this.#list.children.length;
    this.#summary.textContent =
      hidden > 0 ? `${total} events; the newest ${this.#list.children.length} are shown.` : `${total} event${total === 1 ? "" : "s"}.`;
    if (switched || atBottom) this.#scroller.scrollTop = this.#scroller.scrollHeight;
  }
}
