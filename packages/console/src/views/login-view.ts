import type { ConsoleConfig } from "../config.js";
import { h } from "./dom.js";

export interface LoginViewOptions {
  config: ConsoleConfig;
  onConnect(config: ConsoleConfig & { username?: string; password?: string }): void;
}

/**
 * Where to connect and as whom. The credentials go from this form to the broker only:
 * the page is served as static files and nothing is kept.
 */
export class LoginView {
  readonly root: HTMLDetailsElement;
  readonly #error: HTMLElement;

  constructor(options: LoginViewOptions) {
    const url = h("input", { id: "login-url", name: "broker", type: "url", value: options.config.broker, placeholder: "ws://localhost:9001", required: true });
    const prefix = h("input", { id: "login-prefix", name: "prefix", type: "text", value: options.config.topicPrefix });
    const user = h("input", { id: "login-user", name: "username", type: "text", autocomplete: "username" });
    const pass = h("input", { id: "login-pass", name: "password", type: "password", autocomplete: "current-password" });
    this.#error = h("p", { class: "error", role: "alert" });
    const form = h(
      "form",
      { class: "login" },
      h("div", { class: "field" }, h("label", { for: "login-url" }, "Broker WebSocket URL"), url),
      h("div", { class: "field" }, h("label", { for: "login-prefix" }, "Topic prefix"), prefix),
      h("div", { class: "field" }, h("label", { for: "login-user" }, "Username"), user),
      h("div", { class: "field" }, h("label", { for: "login-pass" }, "Password"), pass),
      h("button", { type: "submit" }, "Connect"),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      options.onConnect({ broker: url.value.trim(), topicPrefix: prefix.value.trim(), username: user.value, password: pass.value });
    });
    this.root = h("details", { class: "panel login-panel" }, h("summary", {}, "Connection"), form, this.#error);
    this.root.open = options.config.broker === "";
  }

  showError(message: string): void {
    this.#error.textContent = message;
    if (message !== "") this.root.open = true;
  }

  connected(): void {
    this.root.open = false;
  }
}
