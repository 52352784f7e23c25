import { A2AProtocolError } from "@a2a/schema";
import { describe, expect, it } from "vitest";
import { AgentUnavailableError } from "../../src/agent-unavailable.js";
import { mapCapacity } from "../../src/emqx/emqx-handlers.js";
import { MemoryBudget } from "../../src/memory-budget.js";
import { TaskLimiter } from "../../src/task-limiter.js";

function thrown(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("the profile's responder_unavailable", () => {
  it("is what the agent's own capacity refusals become, recognised by their class", () => {
    const limiter = new TaskLimiter({ maxRunning: 1, maxQueued: 0 });
    expect(limiter.tryAcquire()).toBeDefined(); // the one slot is taken, none queues
    const refusal = thrown(() => limiter.checkAdmission());
    expect(refusal).toBeInstanceOf(AgentUnavailableError);
    expect((refusal as A2AProtocolError).code).toBe(-32603);
    expect((refusal as A2AProtocolError).message).toMatch(/at capacity/);
    const mapped = thrown(() => mapCapacity(refusal));
    expect((mapped as A2AProtocolError).toJSON()).toMatchObject({ code: -32004, data: { a2a_error: "responder_unavailable" } });
    const budget = new MemoryBudget({ maxBytes: 1024 });
    budget.charge(1024);
    expect(thrown(() => budget.admit(1))).toBeInstanceOf(AgentUnavailableError);
  });

  it("is not made of another -32603 whose text merely reads alike", () => {
    const lookalike = new A2AProtocolError({ code: -32603, message: "Agent is at capacity; retry later" });
    expect(thrown(() => mapCapacity(lookalike))).toBe(lookalike);
  });
});
