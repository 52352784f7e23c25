import { describe, expect, it } from "vitest";
import {
  InvalidTopicSegmentError,
  createTopicScheme,
  matchTopic,
  parseSharedFilter,
  validateTopicSegment,
} from "@a2a/transport";

describe("createTopicScheme", () => {
  const topics = createTopicScheme();

  it("parses a topic read again (an agent reads each reply topic several times) to the same frozen answer", () => {
    const first = topics.parse("replies/client-1/inbox-7");
    expect(first).toEqual({ kind: "replies", clientId: "client-1", inbox: "inbox-7" });
    expect(Object.isFrozen(first)).toBe(true);
    expect(topics.parse("replies/client-1/inbox-7")).toBe(first);
    expect(topics.parse("my-org/agent-001/tasks")).toEqual({ kind: "tasks", org: "my-org", agent: "agent-001" });
    expect(topics.parse("replies/client-1/inbox-7")).toEqual(first);
    expect(topics.parse("replies/client\u0000/inbox-7")).toBeUndefined();
    expect(topics.parse("replies/client\u0000/inbox-7")).toBeUndefined();
    expect(topics.parse(`replies/${"c".repeat(129)}/inbox`)).toBeUndefined();
    expect(topics.parse(`replies/${"c".repeat(128)}/inbox`)).toBeDefined();
  });

  it("accepts as a segment of a parsed topic exactly what validateTopicSegment accepts", () => {
    const odd = ["", "a", "a+b", "a#", "x\u0085", "x\u007f", "x\u00a0", "é", "c".repeat(128), "c".repeat(129), " ", "$share"];
    for (const segment of odd) {
      let valid = true;
      try {
        validateTopicSegment(segment, "id");
      } catch {
        valid = false;
      }
      expect(topics.parse(`replies/${segment}/inbox`) !== undefined, JSON.stringify(segment)).toBe(valid);
    }
  });

  it("builds the seed's layout", () => {
    expect(topics.discovery("my-org", "agent-001")).toBe("discovery/my-org/agent-001");
    expect(topics.discoveryFilter()).toBe("discovery/+/+");
    expect(topics.discoveryFilter("my-org")).toBe("discovery/my-org/+");
    expect(topics.tasks("my-org", "agent-001")).toBe("my-org/agent-001/tasks");
    expect(topics.results("my-org", "agent-001")).toBe("my-org/agent-001/results");
    expect(topics.replies("client-1", "inbox-7")).toBe("replies/client-1/inbox-7");
    expect(topics.repliesFilter("client-1")).toBe("replies/client-1/+");
  });

  it("puts a prefix before every topic, with or without a trailing slash", () => {
    for (const prefix of ["acme/a2a", "acme/a2a/"]) {
      const scheme = createTopicScheme({ prefix });
      expect(scheme.tasks("o", "a")).toBe("acme/a2a/o/a/tasks");
      expect(scheme.discoveryFilter()).toBe("acme/a2a/discovery/+/+");
      expect(scheme.parse("acme/a2a/o/a/results")).toEqual({ kind: "results", org: "o", agent: "a" });
      expect(scheme.parse("o/a/results")).toBeUndefined();
    }
  });

  it("parses what it builds", () => {
    expect(topics.parse(topics.discovery("o", "a"))).toEqual({ kind: "discovery", org: "o", agent: "a" });
    expect(topics.parse(topics.tasks("o", "a"))).toEqual({ kind: "tasks", org: "o", agent: "a" });
    expect(topics.parse(topics.replies("c", "i"))).toEqual({ kind: "replies", clientId: "c", inbox: "i" });
  });

  it("parses nothing else", () => {
    for (const topic of ["o/a/other", "o/a", "o/a/tasks/x", "discovery/o", "o//tasks", "$SYS/broker/load"]) {
      expect(topics.parse(topic), topic).toBeUndefined();
    }
  });

  it("refuses ids that would break the layout", () => {
    expect(() => topics.tasks("o/x", "a")).toThrow(InvalidTopicSegmentError);
    expect(() => topics.tasks("o", "+")).toThrow(/agent id/);
    expect(() => topics.discovery("discovery", "a")).toThrow(/reserved/);
    expect(() => topics.tasks("replies", "a")).toThrow(/reserved/);
    expect(() => topics.replies("c", "#")).toThrow(/inbox/);
    expect(() => createTopicScheme({ prefix: "a/+/b" })).toThrow(/prefix/);
  });
});

describe("validateTopicSegment", () => {
  it("accepts ordinary ids and returns them", () => {
    expect(validateTopicSegment("agent-001", "agent id")).toBe("agent-001");
    expect(validateTopicSegment("x".repeat(128), "agent id")).toHaveLength(128);
    expect(validateTopicSegment("Ünïcødé.ok_1", "agent id")).toBe("Ünïcødé.ok_1");
  });

  it.each([
    ["", /must not be empty/],
    ["x".repeat(129), /at most 128/],
    ["a/b", /'\/'/],
    ["a+b", /'\+'/],
    ["a#", /'#'/],
    ["a\u0000b", /control/],
    ["tab\there", /control/],
    ["del\u007f", /control/],
    [42, /must be a string/],
  ])("refuses %j", (value, reason) => {
    let error: unknown;
    try {
      validateTopicSegment(value, "org id");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidTopicSegmentError);
    expect((error as InvalidTopicSegmentError).label).toBe("org id");
    expect((error as Error).message).toMatch(/^Invalid org id/);
    expect((error as Error).message).toMatch(reason);
  });
});

describe("matchTopic", () => {
  it.each([
    ["a/b/c", "a/b/c", true],
    ["a/+/c", "a/b/c", true],
    ["a/+/c", "a/b/d", false],
    ["a/+", "a/b/c", false],
    ["a/#", "a", true],
    ["a/#", "a/b/c", true],
    ["#", "a/b", true],
    ["+/+", "a/b", true],
    ["+", "/a", false],
    ["+/a", "/a", true],
    ["#", "$SYS/x", false],
    ["+/x", "$SYS/x", false],
    ["$SYS/#", "$SYS/x", true],
    ["$share/g/a/+", "a/b", true],
    ["$share/g/a/+", "g/a/b", false],
    // The same string: equal topics match (the usual exact subscription), `$share/` ones by their filter.
    ["replies/c/i", "replies/c/i", true],
    ["$SYS/x", "$SYS/x", true],
    ["$share/g/a", "$share/g/a", false],
  ])("%s vs %s → %s", (filter, topic, expected) => {
    expect(matchTopic(filter, topic)).toBe(expected);
  });

  it("splits shared filters", () => {
    expect(parseSharedFilter("$share/workers/o/a/tasks")).toEqual({ group: "workers", filter: "o/a/tasks" });
    expect(parseSharedFilter("o/a/tasks")).toBeUndefined();
    expect(parseSharedFilter("$share/only")).toBeUndefined();
  });
});
