import { describe, expect, it } from "vitest";
import { advisoryStatus } from "../../src/emqx/emqx-directory.js";

describe("the advisory status of a profile card", () => {
  it("reads a2a-status and a2a-status-source as published by the agent or its will", () => {
    expect(advisoryStatus({ "a2a-status": "online", "a2a-status-source": "agent" })).toEqual({ status: "online", source: "agent" });
    expect(advisoryStatus({ "a2a-status": "offline", "a2a-status-source": "lwt" })).toEqual({ status: "offline", source: "lwt" });
    expect(advisoryStatus({})).toEqual({});
  });

  it("prefers the broker's pair when a broker attached its own beside the agent's", () => {
    expect(advisoryStatus({ "a2a-status": "online,offline", "a2a-status-source": "agent,broker" })).toEqual({ status: "offline", source: "broker" });
    expect(advisoryStatus({ "a2a-status": "offline", "a2a-status-source": "broker" })).toEqual({ status: "offline", source: "broker" });
  });
});
