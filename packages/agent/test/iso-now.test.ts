import { afterEach, describe, expect, it, vi } from "vitest";
import { isoNow } from "../src/iso-now.js";

afterEach(() => vi.restoreAllMocks());

describe("isoNow", () => {
  it("formats the current time as toISOString does, across milliseconds, seconds, days and years", () => {
    const starts = [0, 999, 1_700_000_000_000, Date.UTC(2024, 1, 29, 23, 59, 59, 990), 253_402_300_799_990];
    for (const start of starts) {
      for (let ms = start; ms < start + 2500; ms += 3) {
        vi.spyOn(Date, "now").mockReturnValue(ms);
        expect(isoNow()).toBe(new Date(ms).toISOString());
      }
    }
  });
});
