import { dataOf, stateOf, textOf, userMessage, type A2AClient, type AgentInfo } from "@a2a/client";
import { isTerminalState, type Artifact, type Task } from "@a2a/schema";
import type { Trace } from "../trace.js";

/** The trace name of an agent `org/agent`: its agent part. */
export function actorOf(agentId: string): string {
  return agentId.slice(agentId.indexOf("/") + 1);
}

export interface AskOptions {
  signal?: AbortSignal;
  /** What the trace says was asked, after the skill id. */
  say: string;
  /** What the trace says the answer was. */
  tell?: (data: unknown) => string;
}

export interface StreamAskOptions extends AskOptions {
  /** Called with each status message and artifact while the task runs. */
  onStatus?: (text: string) => Promise<void> | void;
  /** Called once the delegated task exists, with its id (e.g. to cancel it later). */
  onTask?: (task: { agentId: string; taskId: string }) => Promise<void> | void;
}

/** The outcome of a delegated task. */
export interface Delegated<T> {
  agentId: string;
  taskId: string;
  data: T;
}

/**
 * How one agent delegates work to others: finds the agent for a skill from the Agent
 * Cards on the broker, sends it the skill's input as a data part, and reads the answer.
 * Everything it does is written to the trace as `from → agent`.
 */
export class Delegate {
  readonly #client: A2AClient;
  readonly #trace: Trace;
  readonly #from: string;
  readonly #found = new Map<string, AgentInfo>();

  constructor(options: { client: A2AClient; trace: Trace; from: string }) {
    this.#client = options.client;
    this.#trace = options.trace;
    this.#from = options.from;
  }

  /** Finds one online agent for each skill, by the skills listed in the Agent Cards. */
  async discover(skills: readonly string[], signal?: AbortSignal): Promise<Map<string, AgentInfo>> {
    for (const skill of skills) {
      const [agent] = await this.#client.findAgents({ skill, status: "online", ...(signal ? { signal } : {}) });
      if (agent === undefined) throw new Error(`No online agent offers the skill ${JSON.stringify(skill)}; is it running?`);
      this.#found.set(skill, agent);
    }
    const bySkillsOf = new Map<string, string[]>();
    for (const [skill, agent] of this.#found) bySkillsOf.set(agent.id, [...(bySkillsOf.get(agent.id) ?? []), skill]);
    for (const [agentId, found] of bySkillsOf) {
      this.#trace.note(this.#from, `found ${agentId} for ${found.join(", ")}`);
    }
    return new Map(this.#found);
  }

  /** Runs `skill` on its agent (blocking SendMessage) and returns the data it answered. */
  async ask<T>(skill: string, input: Record<string, unknown>, options: AskOptions): Promise<Delegated<T>> {
    const agentId = this.#agentFor(skill);
    const to = actorOf(agentId);
    this.#trace.call(this.#from, to, `${skill} ${options.say}`);
    const result = await this.#client
      .agent(agentId)
      .sendMessage({ message: userMessage({ data: input, skill }) }, { timeoutMs: 10_000, ...(options.signal ? { signal: options.signal } : {}) });
    const state = stateOf(result);
    const task = "task" in result ? result.task : undefined;
    if (state !== "TASK_STATE_COMPLETED" || task === undefined) {
      const why = textOf(result) || state || "a message instead of a task";
      this.#trace.answer(to, this.#from, `${skill} ${shortState(state)}: ${why}`);
      throw new Error(`${agentId} could not ${skill}: ${why}`);
    }
    const data = dataOf<T>(result) as T;
    this.#trace.answer(to, this.#from, `${skill} completed${options.tell ? `: ${options.tell(data)}` : ""}`);
    return { agentId, taskId: task.id, data };
  }

  /**
   * Runs `skill` as a stream (SendStreamingMessage): each status message is handed to
   * `onStatus` as it arrives; resolves with the data of the completed task.
   */
  async stream<T>(skill: string, input: Record<string, unknown>, options: StreamAskOptions): Promise<Delegated<T>> {
    const agentId = this.#agentFor(skill);
    const to = actorOf(agentId);
    this.#trace.call(this.#from, to, `${skill} ${options.say} (streaming)`);
    const stream = this.#client
      .agent(agentId)
      .sendStreamingMessage({ message: userMessage({ data: input, skill }) }, { timeoutMs: 10_000, ...(options.signal ? { signal: options.signal } : {}) });
    let task: Task | undefined;
    const artifacts: Artifact[] = [];
    let state: Task["status"]["state"] | undefined;
    let lastText = "";
    for await (const event of stream) {
      if ("task" in event) {
        task = event.task;
        state = event.task.status.state;
        await options.onTask?.({ agentId, taskId: task.id });
      } else if ("statusUpdate" in event) {
        state = event.statusUpdate.status.state;
        lastText = textOf(event);
        if (!isTerminalState(state) && lastText !== "") {
          this.#trace.answer(to, this.#from, lastText);
          await options.onStatus?.(lastText);
        }
      } else if ("artifactUpdate" in event) {
        artifacts.push(event.artifactUpdate.artifact);
      }
    }
    if (task === undefined) throw new Error(`${agentId} answered ${skill} without a task`);
    if (state !== "TASK_STATE_COMPLETED") {
      this.#trace.answer(to, this.#from, `${skill} ${shortState(state)}${lastText ? `: ${lastText}` : ""}`);
      throw new Error(`${agentId} could not ${skill}: ${lastText || shortState(state)}`);
    }
    // The handler's return value is the artifact named "result"; others are progress.
    const result = artifacts.find((a) => a.name === "result") ?? artifacts.at(-1);
    const data = (result === undefined ? undefined : dataOf<T>({ task: { ...task, artifacts: [result], status: { state } } })) as T;
    this.#trace.answer(to, this.#from, `${skill} completed${options.tell ? `: ${options.tell(data)}` : ""}`);
    return { agentId, taskId: task.id, data };
  }

  /** Cancels a delegated task (CancelTask), e.g. because the work it served was cancelled. */
  async cancel(task: { agentId: string; taskId: string }): Promise<Task> {
    const to = actorOf(task.agentId);
    this.#trace.call(this.#from, to, `CancelTask ${task.taskId.slice(0, 8)}`);
    const result = await this.#client.agent(task.agentId).cancelTask(task.taskId, { timeoutMs: 5000 });
    this.#trace.answer(to, this.#from, `task ${task.taskId.slice(0, 8)} ${shortState(result.status.state)}`);
    return result;
  }

  #agentFor(skill: string): string {
    const agent = this.#found.get(skill);
    if (agent === undefined) throw new Error(`No agent found for ${skill}; call discover() with it first`);
    return agent.id;
  }
}

/** `TASK_STATE_INPUT_REQUIRED` → `input-required`. */
export function shortState(state: string | undefined): string {
  return state === undefined ? "unknown" : state.replace(/^TASK_STATE_/, "").toLowerCase().replace(/_/g, "-");
}
