import { describe, expect, it } from "vitest";
import { writeBuffer } from "../src/mqtt/write-slab.js";

describe("writeBuffer", () => {
  it("hands out regions of a few KiB that never overlap, each written and read back intact", () => {
    const sizes = [4096, 5000, 8191, 16_384, 4100, 12_000, 9000, 7777, 4096, 15_000];
    const buffers = sizes.map((size, i) => writeBuffer(size).fill(i + 1));
    buffers.forEach((buffer, i) => {
      expect(buffer.byteLength).toBe(sizes[i]);
      expect(buffer.every((byte) => byte === i + 1)).toBe(true);
    });
    // Carved from shared slabs (64 KiB each), so fewer ArrayBuffers than buffers.
    expect(new Set(buffers.map((b) => b.buffer)).size).toBeLessThan(buffers.length);
  });

  it("gives small and large buffers an allocation of their own, as Buffer.allocUnsafe does", () => {
    const large = writeBuffer(40_000);
    expect(large.byteLength).toBe(40_000);
    expect(large.buffer.byteLength).toBeGreaterThanOrEqual(40_000);
    expect(writeBuffer(100).byteLength).toBe(100);
  });
});
