import { randomUUID } from "node:crypto";
import { A2AAgent, type A2AAgentOptions } from "@a2a/agent";

/** Input of the `work` skill: `hold` tasks wait until {@link CountingAgent.release}. */
export interface WorkInput {
  key: string;
  hold?: boolean;
}

/**
 * An agent whose one skill counts how often it ran for each key, so a test can prove
 * that every task ran exactly once. Tasks sent with `hold` wait for `release()`.
 */
export class CountingAgent {
  readonly agent: A2AAgent;
  readonly executions = new Map<string, number>();
  readonly errors: unknown[] = [];
  #release!: () => void;
  readonly #gate = new Promise<void>((resolve) => (this.#release = resolve));

  constructor(options: Omit<A2AAgentOptions, "orgId" | "agentId" | "name" | "description"> & { orgId?: string; agentId?: string }) {
    this.agent = new A2AAgent({
      orgId: options.orgId ?? "reliability",
      agentId: options.agentId ?? `counter-${randomUUID().slice(0, 8)}`,
      name: "Counting Agent",
      description: "Counts executions per key",
      onError: (error) => this.errors.push(error),
      ...options,
    });
    this.agent.skill<WorkInput>({
      id: "work",
      handler: async (input) => {
        this.executions.set(input.key, (this.executions.get(input.key) ?? 0) + 1);
        if (input.hold === true) await this.#gate;
        return { key: input.key };
      },
    });
  }

  /** `org/agent`, the address clients use. */
  get id(): string {
    return `${this.agent.orgId}/${this.agent.agentId}`;
  }

  /** Lets every held task finish. */
  release(): void {
    this.#release();
  }

  /** Keys that ran more than once. */
  repeated(): string[] {
    return [...this.executions].filter(([, n]) => n > 1).map(([key]) => key);
  }
}
