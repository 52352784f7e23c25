import type { AgentCalls } from "../call-runner.js";
import { A2AClientError } from "../errors.js";
import type { StreamRequest } from "../stream-call.js";
import { tagStreamEvent, type StreamEvent } from "../stream-event.js";
import type { UnaryRequest } from "../unary-call.js";
import type { EmqxClientOptions } from "./emqx-client-options.js";
import { emqxTarget, type EmqxSession } from "./emqx-session.js";

/**
 * The calls of handles whose agent is reached over the EMQX profile: the same
 * `AgentHandle` operations, made by the profile's requester (its retry and timeout
 * profile) instead of this project's binding.
 */
export class EmqxCalls implements AgentCalls {
  readonly #emqx: EmqxClientOptions;
  readonly #session: () => Promise<EmqxSession>;

  constructor(options: { emqx: EmqxClientOptions; session: () => Promise<EmqxSession> }) {
    this.#emqx = options.emqx;
    this.#session = options.session;
  }

  /** True when calls to `agentId` go over the profile. */
  serves(agentId: string): boolean {
    return emqxTarget(this.#emqx, agentId) !== undefined;
  }

  async unary(request: UnaryRequest): Promise<unknown> {
    const session = await this.#session();
    return session.call({ target: this.#target(request.agentId), method: request.method, params: request.params, options: request.options ?? {} }, request.parse);
  }

  stream(request: StreamRequest): AsyncIterator<StreamEvent> {
    const target = this.#target(request.agentId);
    const open = async function* (this: EmqxCalls): AsyncGenerator<StreamEvent> {
      const session = await this.#session();
      for await (const response of session.stream({ target, method: request.method, params: request.params, options: request.options ?? {} })) {
        tagStreamEvent(response);
        yield response as StreamEvent;
      }
    };
    return open.call(this);
  }

  async info(agentId: string): Promise<Awaited<ReturnType<AgentCalls["info"]>>> {
    const session = await this.#session();
    return (await session.agents()).find((agent) => agent.id === agentId);
  }

  #target(agentId: string) {
    const target = emqxTarget(this.#emqx, agentId);
    if (target === undefined) throw new A2AClientError("INVALID_AGENT_ID", `${JSON.stringify(agentId)} is no EMQX profile address (org/unit/agent).`);
    return target;
  }
}
