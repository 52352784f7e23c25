import { describe, expect, it } from "vitest";
import type { InboundMessage } from "@a2a/transport";
import {
  FRAME_BATCH_EXTENSION_URI,
  decodeReplies,
  frameBatchPayload,
  streamFrameText,
  wantsFrameBatches,
} from "@a2a/transport/binding";

const frame = (seq: number, final = false) =>
  streamFrameText({ idJson: '"s1"', resultJson: JSON.stringify({ statusUpdate: { taskId: "t1", seq } }), seq, final });
const message = (payload: string, correlationData?: Uint8Array): Pick<InboundMessage, "payload" | "properties"> => ({
  payload: new TextEncoder().encode(payload),
  properties: correlationData === undefined ? {} : { correlationData },
});

describe("frame batches (binding section 5.2)", () => {
  it("reads a batch as its frames in order, each with the message's correlation data", () => {
    const correlation = new TextEncoder().encode("s1");
    const decoded = decodeReplies(message(frameBatchPayload([frame(0), frame(1), frame(2, true)]), correlation));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.replies.map((r) => [r.seq, r.final])).toEqual([
      [0, false],
      [1, false],
      [2, true],
    ]);
    expect(decoded.replies.every((r) => r.id === "s1" && r.correlationData === correlation)).toBe(true);
  });

  it("reads a single reply as a list of one, and a batch of one is the frame itself", () => {
    expect(frameBatchPayload([frame(0)])).toBe(frame(0));
    const decoded = decodeReplies(message('{"jsonrpc":"2.0","id":1,"result":{}}'));
    expect(decoded.ok && decoded.replies.map((r) => r.id)).toEqual([1]);
  });

  it("rejects an empty batch, a batch with a malformed frame, and a batched frame without seq", () => {
    const bad = [
      ["[]", "at least one frame"],
      [`[${frame(0)},{"jsonrpc":"2.0","id":"s1"}]`, "Frame 1 of the batch"],
      [`[${frame(0)},7]`, "Frame 1 of the batch: Reply is not a JSON-RPC 2.0 response"],
      [`[${frame(0)},{"jsonrpc":"2.0","id":"s1","result":{}}]`, 'no "seq"'],
    ] as const;
    for (const [payload, text] of bad) {
      const decoded = decodeReplies(message(payload));
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.message).toContain(text);
    }
  });

  it("keeps the payload limit for a batch as for one reply", () => {
    const payload = frameBatchPayload([frame(0), frame(1)]);
    const decoded = decodeReplies(message(payload), { maxPayloadBytes: payload.length - 1 });
    expect(decoded.ok).toBe(false);
  });

  it("is activated by the extension URI in A2A-Extensions, as one of a list, and only so", () => {
    expect(wantsFrameBatches({})).toBe(false);
    expect(wantsFrameBatches({ "A2A-Extensions": FRAME_BATCH_EXTENSION_URI })).toBe(true);
    expect(wantsFrameBatches({ "A2A-Extensions": `urn:other, ${FRAME_BATCH_EXTENSION_URI}` })).toBe(true);
    expect(wantsFrameBatches({ "A2A-Extensions": `${FRAME_BATCH_EXTENSION_URI}:v2` })).toBe(false);
    expect(wantsFrameBatches({ "A2A-Version": FRAME_BATCH_EXTENSION_URI })).toBe(false);
  });
});
