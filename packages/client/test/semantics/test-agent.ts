import { randomUUID } from "node:crypto";
import { A2AAgent, type TaskContext } from "@a2a/agent";
import type { Transport } from "@a2a/transport";

/**
 * Latches the tests open and close by key, so a task can be held in `working` and
 * released on cue, and the test can wait until a handler really started.
 */
export class Gates {
  readonly #open = new Map<string, () => void>();
  readonly #opened = new Map<string, Promise<void>>();
  readonly #started = new Map<string, { promise: Promise<void>; resolve: () => void }>();

  /** Resolves when the gated handler for `key` has started. */
  started(key: string): Promise<void> {
    return this.#startedEntry(key).promise;
  }

  /** Lets the handler for `key` continue. */
  open(key: string): void {
    void this.#gate(key);
    this.#open.get(key)?.();
  }

  /** @internal called by the handler */
  async pass(key: string, signal: AbortSignal): Promise<void> {
    this.#startedEntry(key).resolve();
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
    await Promise.race([this.#gate(key), aborted]);
  }

  #gate(key: string): Promise<void> {
    let gate = this.#opened.get(key);
    if (!gate) {
      gate = new Promise<void>((resolve) => this.#open.set(key, resolve));
      this.#opened.set(key, gate);
    }
    return gate;
  }

  #startedEntry(key: string) {
    let entry = this.#started.get(key);
    if (!entry) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      entry = { promise, resolve };
      this.#started.set(key, entry);
    }
    return entry;
  }
}

/** A fresh org/agent pair, so tests sharing a broker never see each other's agents. */
export function uniqueIds(): { orgId: string; agentId: string } {
  return { orgId: `org-${randomUUID().slice(0, 8)}`, agentId: "semantics" };
}

/**
 * The agent the semantics suite talks to. Skills:
 * - `echo`: completes at once with `Echo: {text}`.
 * - `gated`: goes `working`, waits for `gates.open(key)` (or cancellation), emits three
 *   artifacts and completes with `done:{key}`.
 * - `ask`: asks "What is your name?" (input-required) and completes with `Hello, {answer}`.
 */
export function createTestAgent(options: { broker: string | Transport; gates: Gates; orgId: string; agentId: string }): A2AAgent {
  const agent = new A2AAgent({
    orgId: options.orgId,
    agentId: options.agentId,
    name: "Semantics Agent",
    description: "Exercises the A2A task semantics",
    broker: options.broker,
    stopGracePeriodMs: 200,
    onError: () => undefined,
  });
  agent.skill<{ message?: string }>({ id: "echo", handler: (input) => `Echo: ${input.message ?? ""}` });
  agent.skill<{ key: string }>({
    id: "gated",
    handler: async (input, ctx: TaskContext) => {
      await ctx.status("working", "waiting for the gate");
      await options.gates.pass(input.key, ctx.signal);
      for (let i = 1; i <= 3; i++) await ctx.artifact({ text: `step ${i}`, artifactId: `step-${i}` });
      return `done:${input.key}`;
    },
  });
  agent.skill({
    id: "ask",
    handler: async (_input, ctx: TaskContext) => {
      const answer = await ctx.requestInput("What is your name?");
      const name = answer.parts.map((p) => ("text" in p ? p.text : "")).join("");
      return `Hello, ${name}`;
    },
  });
  return agent;
}
