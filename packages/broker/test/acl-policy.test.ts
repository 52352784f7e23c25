import { createTopicScheme } from "@a2a/transport";
import { describe, expect, it } from "vitest";
import { aclRulesFor, filterCovers, mayPublish, mayReceive, maySubscribe, resolveUsers, toMosquittoConfig, topicMatches } from "../src/index.js";

const users = resolveUsers([
  { username: "acme/echo", role: "agent" },
  { username: "worker-7", role: "agent", org: "acme", agent: "billing" },
  { username: "acme.planner", role: "agent", org: "acme", agent: "planner", canCall: true },
  { username: "alice", role: "client" },
  { username: "root", role: "admin" },
]);
const rules = (name: string, prefix?: string) => aclRulesFor(users.get(name)!, prefix === undefined ? {} : { prefix });

describe("topic filters", () => {
  it("matches topics like MQTT", () => {
    expect(topicMatches("a/+/c", "a/b/c")).toBe(true);
    expect(topicMatches("a/#", "a")).toBe(true);
    expect(topicMatches("a/+", "a/b/c")).toBe(false);
    expect(topicMatches("#", "$SYS/x")).toBe(false);
  });

  it("decides whether one filter covers another", () => {
    expect(filterCovers("discovery/#", "discovery/acme/+")).toBe(true);
    expect(filterCovers("a/+/tasks", "a/x/tasks")).toBe(true);
    expect(filterCovers("acme/echo/tasks", "acme/+/tasks")).toBe(false);
    expect(filterCovers("acme/echo/tasks", "acme/#")).toBe(false);
    expect(filterCovers("a/+", "a/#")).toBe(false);
    expect(filterCovers("a/#", "a")).toBe(true);
    expect(filterCovers("#", "$SYS/#")).toBe(false);
  });
});

describe("aclRulesFor", () => {
  it("gives an agent its card, results, replies to anyone, and its own tasks to read", () => {
    const echo = rules("acme/echo");
    expect(mayPublish(echo, "discovery/acme/echo")).toBe(true);
    expect(mayPublish(echo, "acme/echo/results")).toBe(true);
    expect(mayPublish(echo, "replies/alice/inbox")).toBe(true);
    expect(mayPublish(echo, "discovery/acme/billing")).toBe(false);
    expect(mayPublish(echo, "acme/echo/tasks")).toBe(false);
    expect(maySubscribe(echo, "acme/echo/tasks")).toBe(true);
    expect(maySubscribe(echo, "replies/#")).toBe(false);
    expect(maySubscribe(echo, "discovery/#")).toBe(false);
  });

  it("takes an agent's identity from org/agent fields as well as from the username", () => {
    expect(mayPublish(rules("worker-7"), "discovery/acme/billing")).toBe(true);
    expect(maySubscribe(rules("worker-7"), "acme/billing/tasks")).toBe(true);
  });

  it("lets a client send tasks, read cards and its own replies; never write into reserved roots", () => {
    const alice = rules("alice");
    expect(mayPublish(alice, "acme/echo/tasks")).toBe(true);
    expect(mayPublish(alice, "discovery/acme/tasks")).toBe(false);
    expect(mayPublish(alice, "replies/bob/tasks")).toBe(false);
    expect(maySubscribe(alice, "discovery/#")).toBe(true);
    expect(maySubscribe(alice, "replies/alice/+")).toBe(true);
    expect(maySubscribe(alice, "replies/+/+")).toBe(false);
    expect(mayReceive(alice, "discovery/acme/echo")).toBe(true);
    expect(maySubscribe(alice, "acme/+/results")).toBe(false);
    expect(maySubscribe(aclRulesFor(users.get("alice")!, { clientsReadResults: true }), "acme/+/results")).toBe(true);
  });

  it("puts every rule under the topic prefix", () => {
    const echo = rules("acme/echo", "tenant-1");
    expect(mayPublish(echo, "tenant-1/discovery/acme/echo")).toBe(true);
    expect(mayPublish(echo, "discovery/acme/echo")).toBe(false);
    expect(maySubscribe(rules("alice", "tenant-1/"), "tenant-1/discovery/#")).toBe(true);
  });

  it.each(["", "tenant-1", "a/b"])("grants exactly what the transport's topic scheme needs (prefix %j)", (prefix) => {
    const scheme = createTopicScheme({ prefix });
    const echo = aclRulesFor(users.get("acme/echo")!, { prefix });
    const alice = aclRulesFor(users.get("alice")!, { prefix });
    expect(mayPublish(echo, scheme.discovery("acme", "echo"))).toBe(true);
    expect(mayPublish(echo, scheme.results("acme", "echo"))).toBe(true);
    expect(mayPublish(echo, scheme.replies("alice", "inbox-1"))).toBe(true);
    expect(maySubscribe(echo, scheme.tasks("acme", "echo"))).toBe(true);
    expect(maySubscribe(echo, scheme.tasks("acme", "billing"))).toBe(false);
    expect(mayPublish(echo, scheme.discovery("acme", "billing"))).toBe(false);
    expect(mayPublish(alice, scheme.tasks("acme", "echo"))).toBe(true);
    expect(maySubscribe(alice, scheme.discoveryFilter())).toBe(true);
    expect(maySubscribe(alice, scheme.discoveryFilter("acme"))).toBe(true);
    expect(maySubscribe(alice, scheme.repliesFilter("alice"))).toBe(true);
    expect(maySubscribe(alice, scheme.repliesFilter("bob"))).toBe(false);
    expect(mayPublish(alice, scheme.replies("bob", "inbox-1"))).toBe(false);
  });

  it("gives an agent with canCall a client's rights too, and nothing of other clients", () => {
    const planner = rules("acme.planner");
    expect(maySubscribe(planner, "acme/planner/tasks")).toBe(true);
    expect(mayPublish(planner, "discovery/acme/planner")).toBe(true);
    expect(mayPublish(planner, "acme/echo/tasks")).toBe(true);
    expect(maySubscribe(planner, "discovery/#")).toBe(true);
    expect(maySubscribe(planner, "replies/acme.planner/+")).toBe(true);
    expect(maySubscribe(planner, "replies/alice/+")).toBe(false);
    expect(maySubscribe(planner, "acme/echo/tasks")).toBe(false);
    expect(mayPublish(planner, "discovery/acme/tasks")).toBe(false);
    expect(mayPublish(planner, "discovery/acme/echo")).toBe(false);
    // Plain agents stay as tight as before.
    expect(mayPublish(rules("acme/echo"), "acme/planner/tasks")).toBe(false);
    expect(maySubscribe(rules("acme/echo"), "discovery/#")).toBe(false);
  });

  it("rejects canCall where its inbox could not be private", () => {
    expect(() => resolveUsers([{ username: "acme/planner", role: "agent", canCall: true }])).toThrow(/"acme\.planner"/);
    expect(() => resolveUsers([{ username: "alice", role: "client", canCall: true }])).toThrow(/agents only/);
    expect(() => resolveUsers([{ username: "t", role: "agent", org: "acme", agent: "tasks", canCall: true }])).toThrow(/"tasks"/);
  });

  it("lets an admin do anything", () => {
    expect(mayPublish(rules("root"), "discovery/acme/echo")).toBe(true);
    expect(maySubscribe(rules("root"), "#")).toBe(true);
  });

  it("rejects unusable users with a message naming the fix", () => {
    expect(() => resolveUsers([{ username: "lonely", role: "agent" }])).toThrow(/org\/agent/);
    expect(() => resolveUsers([{ username: "discovery/x", role: "agent" }])).toThrow(/reserved/);
    expect(() => resolveUsers([{ username: "a/b", role: "client" }])).toThrow(/must not contain/);
    expect(() => resolveUsers([{ username: "x", role: "client" }, { username: "x", role: "admin" }])).toThrow(/twice/);
  });
});

describe("toMosquittoConfig", () => {
  it("writes the same rules as user blocks, and the security settings", () => {
    const out = toMosquittoConfig({
      users: [
        { username: "acme/echo", role: "agent", mosquittoPasswordHash: "$7$101$c2FsdA==$aGFzaA==" },
        { username: "alice", role: "client" },
        { username: "acme.planner", role: "agent", org: "acme", agent: "planner", canCall: true },
      ],
      port: 8883,
      files: { passwordFile: "/etc/m/passwd", aclFile: "/etc/m/acl" },
      tls: { cafile: "/c/ca.crt", certfile: "/c/s.crt", keyfile: "/c/s.key", clientCertificates: "required" },
    });
    expect(out.conf).toContain("allow_anonymous false");
    expect(out.conf).toContain("set_tcp_nodelay true");
    // Listener settings must follow the listener line, or mosquitto opens a default
    // listener on 1883 for them.
    expect(out.conf).toMatch(/\nlistener 8883\nprotocol mqtt\nuse_username_as_clientid true\n/);
    expect(out.conf.indexOf("use_username_as_clientid")).toBeGreaterThan(out.conf.indexOf("listener 8883"));
    expect(out.conf).toContain("use_identity_as_username true");
    expect(out.aclFile).toContain(
      "user acme/echo\ntopic write discovery/acme/echo\ntopic write discovery/acme/echo/instances/+\ntopic write acme/echo/results\n" +
        "topic write replies/#\ntopic read acme/echo/tasks\ntopic read acme/echo/tasks/+\n",
    );
    expect(out.aclFile).toContain(
      "user alice\ntopic deny discovery/+/tasks\ntopic deny replies/+/tasks\ntopic deny discovery/+/tasks/+\ntopic deny replies/+/tasks/+\n" +
        "topic write +/+/tasks\ntopic write +/+/tasks/+\ntopic read discovery/#\ntopic read replies/alice/#\n",
    );
    expect(out.aclFile).toContain(
      "# agent acme/planner (also calls other agents)\nuser acme.planner\ntopic deny discovery/+/tasks\ntopic deny discovery/+/tasks/+\n" +
        "topic write discovery/acme/planner\ntopic write discovery/acme/planner/instances/+\n" +
        "topic write acme/planner/results\ntopic write replies/#\ntopic read acme/planner/tasks\ntopic read acme/planner/tasks/+\n" +
        "topic write +/+/tasks\ntopic write +/+/tasks/+\ntopic read discovery/#\ntopic read replies/acme.planner/#\n",
    );
    // Certificate-only users have no password line.
    expect(out.passwordFile).toBe("acme/echo:$7$101$c2FsdA==$aGFzaA==\n");
  });
});
