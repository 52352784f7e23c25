/** The slabs write buffers are carved from. */
const SLAB_BYTES = 64 * 1024;
/** Larger buffers get an ArrayBuffer of their own: a few per slab would gain little. */
const MAX_CARVED = SLAB_BYTES / 4;

let slab: Buffer | undefined;
let used = SLAB_BYTES;

/**
 * A buffer of `size` bytes for a socket write (its contents undefined), carved from a
 * shared slab as Node does for buffers below 4 KiB. A packet of a few KiB then costs no
 * ArrayBuffer of its own, whose allocation, tracking and freeing in every scavenge cost
 * more than the packet's copy. A region is handed out once; a slab is freed with the
 * last buffer of it.
 */
export function writeBuffer(size: number): Buffer {
  if (size < 4096 || size > MAX_CARVED) return Buffer.allocUnsafe(size);
  if (slab === undefined || used + size > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    used = 0;
  }
  const out = slab.subarray(used, used + size);
  // 8-byte aligned, as Node's pool keeps its buffers.
  used = (used + size + 7) & ~7;
  return out;
}
