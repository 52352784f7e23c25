import type { LinkStatus } from "../connection.js";
import { h, time } from "./dom.js";

const TEXT = { connecting: "connecting", connected: "connected", reconnecting: "reconnecting", closed: "disconnected" } as const;

/** The broker link in the header: state, since when, reconnects, last error. */
export class ConnectionView {
  readonly root: HTMLElement;
  readonly #state: HTMLElement;
  readonly #detail: HTMLElement;

  constructor() {
    this.#state = h("span", { class: "link-state" }, "not connected");
    this.#detail = h("span", { class: "link-detail" });
    this.root = h("p", { class: "link", role: "status", "aria-live": "polite", "aria-label": "Broker connection" }, h("span", { class: "dot", "aria-hidden": "true" }), this.#state, " ", this.#detail);
  }

  render(status: LinkStatus, url: string): void {
    this.root.dataset.state = status.state;
    this.#state.textContent = TEXT[status.state];
    const reconnects = `${status.reconnects} reconnect${status.reconnects === 1 ? "" : "s"}`;
    this.#detail.textContent = `${url} · since ${time(status.since)} · ${reconnects}${status.error ? ` · ${status.error}` : ""}`;
  }
}
