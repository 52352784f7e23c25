/** The two message shapes every round-trip workload is run with. */
export type PayloadKind = "text" | "data4k";

/** ~100 bytes of text, sent as one text part. */
export const TEXT_100B = "The quick brown fox jumps over the lazy dog; the five boxing wizards jump quickly at dawn. 0123456";

/** A JSON object of ~4 KB, sent as one data part: rows of a small table, like tool output. */
export const DATA_4K: Record<string, unknown> = {
  rows: Array.from({ length: 33 }, (_, i) => ({
    id: `row-${String(i).padStart(4, "0")}`,
    name: `item number ${i}`,
    price: Math.round(i * 137.5) / 10,
    tags: ["alpha", "beta", "gamma"],
    note: "lorem ipsum dolor sit amet",
  })),
};

/** Bytes of the part's content as JSON, for the report. */
export function payloadBytes(kind: PayloadKind): number {
  return Buffer.byteLength(kind === "text" ? JSON.stringify(TEXT_100B) : JSON.stringify(DATA_4K));
}

/** Status events a streaming task emits before its final (completed) event. */
export const STREAM_STATUS_EVENTS = 10;
