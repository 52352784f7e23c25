import { describe, expect, it } from "vitest";
import { nearbyIds } from "../src/nearby.js";

describe("nearbyIds", () => {
  const ids = ["my-org/agent-001", "my-org/echo", "my-org/inventory", "my-org/orders", "other/echo"];

  it("suggests the nearest id, not every agent of the org", () => {
    expect(nearbyIds("my-org/ecoh", ids)).toEqual(["my-org/echo"]);
    expect(nearbyIds("my-org/agent-01", ids)).toEqual(["my-org/agent-001"]);
  });

  it("falls back to the same agent id under another org, else nothing", () => {
    expect(nearbyIds("acme/echo", ids)).toEqual(["other/echo", "my-org/echo"]);
    expect(nearbyIds("acme/planner", ids)).toEqual([]);
  });
});
