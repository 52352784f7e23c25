import { describe, expect, it } from "vitest";
import { resolveUsers } from "../src/index.js";
import { clientIdProblem } from "../src/client-id.js";

describe("client ids bound to users", () => {
  const users = resolveUsers([
    { username: "acme/echo", role: "agent" },
    { username: "acme.planner", role: "agent", org: "acme", agent: "planner", canCall: true },
    { username: "alice", role: "client" },
    { username: "root", role: "admin" },
  ]);
  const user = (name: string) => users.get(name)!;

  it("gives an agent its agent's client id and its pool instances, a client and a caller their username", () => {
    expect(clientIdProblem(user("acme/echo"), "a2a-agent.acme.echo")).toBeUndefined();
    expect(clientIdProblem(user("acme/echo"), "a2a-agent.acme.echo/worker-2")).toBeUndefined();
    expect(clientIdProblem(user("acme/echo"), "a2a-agent.acme.echo/")).toMatch(/must connect with its own client id "a2a-agent.acme.echo"/);
    expect(clientIdProblem(user("acme/echo"), "a2a-agent.acme.echo/a/b")).toBeDefined();
    expect(clientIdProblem(user("acme/echo"), "a2a-agent.acme.echoes")).toBeDefined();
    expect(clientIdProblem(user("acme/echo"), "alice")).toBeDefined();
    expect(clientIdProblem(user("acme.planner"), "acme.planner")).toBeUndefined();
    expect(clientIdProblem(user("acme.planner"), "a2a-agent.acme.planner")).toMatch(/canCall must connect with its username/);
    expect(clientIdProblem(user("alice"), "alice")).toBeUndefined();
    expect(clientIdProblem(user("alice"), "a2a-agent.acme.echo")).toMatch(/a client must connect with its username/);
    expect(clientIdProblem(user("root"), "anything")).toBeUndefined();
  });

  it("refuses users whose client ids would collide", () => {
    expect(() => resolveUsers([{ username: "a.b/c", role: "agent" }, { username: "a/b.c", role: "agent" }])).toThrow(
      /agent a\.b\/c and agent a\/b\.c would both connect as client id "a2a-agent\.a\.b\.c"/,
    );
    expect(() => resolveUsers([{ username: "acme/echo", role: "agent" }, { username: "a2a-agent.acme.echo", role: "client" }])).toThrow(
      /take over the other's session/,
    );
    // Two credentials of one agent (e.g. the instances of a pool) share its id.
    expect(() => resolveUsers([{ username: "acme/echo", role: "agent" }, { username: "echo-2", role: "agent", org: "acme", agent: "echo" }])).not.toThrow();
  });
});
