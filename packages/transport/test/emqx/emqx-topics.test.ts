import { describe, expect, it } from "vitest";
import {
  EMQX_RETRY_DEFAULTS,
  createEmqxTopicScheme,
  emqxAddressOf,
  emqxBindingError,
  emqxBindingErrorKind,
  emqxPoolGroupId,
  emqxRetryDelay,
  parseEmqxAddress,
  toEmqxId,
} from "@a2a/transport/binding";

const address = { org: "acme", unit: "plant1", agent: "echo" };

describe("EMQX profile topic scheme", () => {
  it("builds the profile's topics under the $a2a/v1 root by default", () => {
    const topics = createEmqxTopicScheme();
    expect(topics.discovery(address)).toBe("$a2a/v1/discovery/acme/plant1/echo");
    expect(topics.discoveryFilter({ org: "acme", unit: "plant1" })).toBe("$a2a/v1/discovery/acme/plant1/+");
    expect(topics.discoveryFilter()).toBe("$a2a/v1/discovery/+/+/+");
    expect(topics.request(address)).toBe("$a2a/v1/request/acme/plant1/echo");
    expect(topics.reply(address, "a1b2")).toBe("$a2a/v1/reply/acme/plant1/echo/a1b2");
    expect(topics.replyFilter(address)).toBe("$a2a/v1/reply/acme/plant1/echo/+");
    expect(topics.event(address)).toBe("$a2a/v1/event/acme/plant1/echo");
    expect(topics.poolRequest("acme", "plant1", "workers")).toBe("$a2a/v1/request/acme/plant1/pool/workers");
    expect(topics.sharedPoolFilter({ org: "acme", unit: "plant1", pool: "workers" })).toBe("$share/a2a.acme.plant1.workers/$a2a/v1/request/acme/plant1/pool/workers");
  });

  it("takes a configurable root (the earlier a2a/v1, or deeper)", () => {
    expect(createEmqxTopicScheme({ root: "a2a/v1" }).request(address)).toBe("a2a/v1/request/acme/plant1/echo");
    expect(createEmqxTopicScheme({ root: "site/a2a/v1/" }).root).toBe("site/a2a/v1");
    expect(() => createEmqxTopicScheme({ root: "a2a/+" })).toThrow(/root level/);
    expect(() => createEmqxTopicScheme({ root: "" })).toThrow(/must not be empty/);
    expect(() => createEmqxTopicScheme({ root: "a2a//v1" })).toThrow(/root level "": must not be empty/);
    expect(() => createEmqxTopicScheme({ root: "a2a/v\u00011" })).toThrow(/control characters/);
    expect(() => createEmqxTopicScheme({ root: `a2a/${"v".repeat(129)}` })).toThrow(/at most 128 characters/);
  });

  it("parses each kind of topic and nothing else", () => {
    const topics = createEmqxTopicScheme();
    expect(topics.parse("$a2a/v1/discovery/acme/plant1/echo")).toEqual({ kind: "discovery", ...address });
    expect(topics.parse("$a2a/v1/request/acme/plant1/echo")).toEqual({ kind: "request", ...address });
    expect(topics.parse("$a2a/v1/request/acme/plant1/pool/workers")).toEqual({ kind: "pool-request", org: "acme", unit: "plant1", pool: "workers" });
    expect(topics.parse("$a2a/v1/reply/acme/plant1/echo/s1")).toEqual({ kind: "reply", ...address, suffix: "s1" });
    // The profile's first text allowed '-': accepted when read.
    expect(topics.parse("$a2a/v1/request/my-org/plant1/echo-2")).toEqual({ kind: "request", org: "my-org", unit: "plant1", agent: "echo-2" });
    for (const other of ["a2a/v1/request/acme/plant1/echo", "$a2a/v1/request/acme/plant1", "$a2a/v1/request/acme/plant1/echo/x", "$a2a/v1/foo/acme/plant1/echo", "$a2a/v1/request/ac me/plant1/echo", "$a2a/v1/reply/acme/plant1/echo"]) {
      expect(topics.parse(other), other).toBeUndefined();
    }
  });

  it("refuses ids outside the profile's rule when building topics", () => {
    const topics = createEmqxTopicScheme();
    expect(() => topics.request({ ...address, agent: "echo-1" })).toThrow(/A-Za-z0-9/);
    expect(() => topics.request({ ...address, org: "a/b" })).toThrow(/EMQX org id/);
    expect(() => topics.request({ ...address, agent: "pool" })).toThrow(/reserved/);
  });

  it("maps our {org}/{agent} to {org}/{unit}/{agent}", () => {
    expect(toEmqxId("my-org")).toBe("my_org");
    expect(emqxAddressOf({ orgId: "my-org", agentId: "echo" }, { unit: "plant1" })).toEqual({ org: "my_org", unit: "plant1", agent: "echo" });
    expect(emqxAddressOf({ orgId: "my-org", agentId: "echo" })).toEqual({ org: "my_org", unit: "default", agent: "echo" });
    expect(emqxAddressOf({ orgId: "x", agentId: "y" }, { org: "acme", agent: "bot" })).toEqual({ org: "acme", unit: "default", agent: "bot" });
    expect(() => emqxAddressOf({ orgId: "x", agentId: "y" }, { unit: "bad unit" })).toThrow(/EMQX unit id/);
    expect(parseEmqxAddress("acme/plant1/echo")).toEqual(address);
    expect(parseEmqxAddress("acme/echo")).toBeUndefined();
  });

  it("derives a deterministic group id of at most 64 characters", () => {
    expect(emqxPoolGroupId("acme", "plant-1", "w")).toBe("a2a.acme.plant_1.w");
    const long = emqxPoolGroupId("o".repeat(40), "u".repeat(40), "p");
    expect(long.length).toBe(64);
    expect(emqxPoolGroupId("o".repeat(40), "u".repeat(40), "p")).toBe(long);
    expect(emqxPoolGroupId("o".repeat(40), "u".repeat(40), "q")).not.toBe(long);
  });

  it("tells binding errors apart from A2A's errors of the same numbers only by a2a_error", () => {
    expect(emqxBindingError("request_expired", "late")).toEqual({ code: -32003, message: "late", data: { a2a_error: "request_expired" } });
    expect(emqxBindingErrorKind({ code: -32004, data: { a2a_error: "responder_unavailable" } })).toBe("responder_unavailable");
    expect(emqxBindingErrorKind({ code: -32005, data: { a2a_error: "transport_protocol_error" } })).toBe("transport_protocol_error");
    // A2A v1.0's UnsupportedOperation (-32004) carries an ErrorInfo array, not a2a_error.
    expect(emqxBindingErrorKind({ code: -32004, data: [{ reason: "UNSUPPORTED_OPERATION" }] })).toBeUndefined();
    expect(emqxBindingErrorKind({ code: -32004 })).toBeUndefined();
    // A code that disagrees with a2a_error is not trusted.
    expect(emqxBindingErrorKind({ code: -32001, data: { a2a_error: "request_expired" } })).toBeUndefined();
  });

  it("backs off 1-2-4 s with ±20 % jitter", () => {
    expect(EMQX_RETRY_DEFAULTS).toMatchObject({ firstReplyTimeoutMs: 15_000, streamIdleTimeoutMs: 30_000, maxAttempts: 3 });
    expect(emqxRetryDelay(EMQX_RETRY_DEFAULTS, 1, () => 0.5)).toBe(1000);
    expect(emqxRetryDelay(EMQX_RETRY_DEFAULTS, 2, () => 0)).toBe(1600);
    expect(emqxRetryDelay(EMQX_RETRY_DEFAULTS, 3, () => 0.999999)).toBeCloseTo(4800, 0);
    expect(emqxRetryDelay(EMQX_RETRY_DEFAULTS, 9, () => 0.5)).toBe(4000);
  });
});
