import { createUser, type BrokerUser } from "../../src/index.js";

export const PASSWORDS = {
  "acme/echo": "echo-secret",
  "acme/other": "other-secret",
  "acme.planner": "planner-secret",
  alice: "alice-secret",
  bob: "bob-secret",
  root: "root-secret",
} as const;

export type FixtureUser = keyof typeof PASSWORDS;

/** The users of the ACL suites; cheap hash parameters keep the tests fast. */
export async function fixtureUsers(): Promise<BrokerUser[]> {
  const fast = { scrypt: { cost: 1024 }, mosquitto: { iterations: 1_000 } };
  return Promise.all([
    createUser({ username: "acme/echo", role: "agent", password: PASSWORDS["acme/echo"], ...fast }),
    createUser({ username: "acme/other", role: "agent", password: PASSWORDS["acme/other"], ...fast }),
    // An orchestrator: agent acme/planner that also calls other agents.
    createUser({ username: "acme.planner", role: "agent", org: "acme", agent: "planner", canCall: true, password: PASSWORDS["acme.planner"], ...fast }),
    createUser({ username: "alice", role: "client", password: PASSWORDS.alice, ...fast }),
    createUser({ username: "bob", role: "client", password: PASSWORDS.bob, ...fast }),
    createUser({ username: "root", role: "admin", password: PASSWORDS.root, ...fast }),
  ]);
}
