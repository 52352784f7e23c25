import { describe, expect, it } from "vitest";
import type { StreamResponse } from "@a2a/schema";
import { ResumeWindows } from "../src/event-window.js";

const update = (i: number, state = "TASK_STATE_WORKING"): StreamResponse => ({
  statusUpdate: { taskId: "t", contextId: "c", status: { state: state as "TASK_STATE_WORKING", message: { messageId: `m${i}`, role: "ROLE_AGENT", parts: [{ text: "x".repeat(100) }] } } },
});

describe("the event windows that resume streams", () => {
  it("numbers events from 1 and answers the ones after a given number while held", () => {
    const windows = new ResumeWindows({ maxEvents: 3 });
    const w = windows.open("t");
    expect([1, 2, 3, 4, 5].map((i) => w.append(update(i)))).toEqual([1, 2, 3, 4, 5]);
    expect(w.since(2)?.length).toBe(3);
    expect(w.since(5)).toEqual([]);
    expect(w.since(1)).toBeUndefined(); // event 2 was forgotten
    expect(w.since(6)).toBeUndefined(); // never had it
  });

  it("is bounded in bytes per window and in all, and reports the bytes it holds", () => {
    const windows = new ResumeWindows({ maxBytes: 1000, maxTotalBytes: 1500 });
    const a = windows.open("a");
    for (let i = 0; i < 50; i++) a.append(update(i));
    expect(a.bytes).toBeLessThanOrEqual(1000);
    const b = windows.open("b");
    for (let i = 0; i < 50; i++) b.append(update(i));
    expect(windows.bytes).toBeLessThanOrEqual(1500 + 300);
    expect(windows.bytes).toBe(a.bytes + b.bytes);
  });

  it("keeps the window of an ended task a while, bounded in number", () => {
    const windows = new ResumeWindows({ maxEnded: 2, keepEndedMs: 60_000 });
    for (const id of ["a", "b", "c"]) {
      const w = windows.open(id);
      w.append(update(1));
      w.append(update(2, "TASK_STATE_COMPLETED"));
    }
    expect(windows.get("a")).toBeUndefined();
    expect(windows.get("c")?.since(0)?.length).toBe(2);
    expect(windows.size).toBe(2);
  });

  it("forgets ended windows after keepEndedMs", () => {
    const windows = new ResumeWindows({ keepEndedMs: 0 });
    const w = windows.open("a");
    w.append(update(1, "TASK_STATE_FAILED"));
    expect(windows.get("a")).toBeUndefined();
    expect(windows.bytes).toBe(0);
  });

  it("reports every change of its bytes, and gives back ended windows on demand", () => {
    let charged = 0;
    const windows = new ResumeWindows({ onBytesChanged: (delta) => (charged += delta) });
    for (const id of ["a", "b"]) {
      const w = windows.open(id);
      w.append(update(1));
      w.append(update(2, "TASK_STATE_COMPLETED"));
    }
    const live = windows.open("c");
    live.append(update(1));
    expect(charged).toBe(windows.bytes);
    const freed = windows.reclaim(1);
    expect(freed).toBeGreaterThan(0);
    expect(windows.get("a")).toBeUndefined();
    expect(windows.get("b")).toBeDefined();
    expect(windows.reclaim(Number.MAX_SAFE_INTEGER)).toBeGreaterThan(0);
    expect(windows.get("c")).toBeDefined(); // a live task's window is not given back
    expect(charged).toBe(windows.bytes);
  });
});
