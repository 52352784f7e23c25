import { describe, expect, it } from "vitest";
import { newId } from "../src/binding/new-id.js";

describe("newId", () => {
  it("makes version 4 UUIDs, all different, across refills of its random pool", () => {
    const ids = Array.from({ length: 1000 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("uses every hex digit in every free position (the bytes are random, not a pattern)", () => {
    const ids = Array.from({ length: 2000 }, () => newId().replaceAll("-", ""));
    for (let position = 0; position < 32; position++) {
      if (position === 12 || position === 16) continue;
      const digits = new Set(ids.map((id) => id[position]));
      expect(digits.size, `position ${position}`).toBe(16);
    }
  });
});
