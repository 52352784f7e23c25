import { afterEach, describe, expect, it } from "vitest";
import { RESUME_EXTENSION_URI, type DecodedReply } from "@a2a/transport/binding";
import { waitFor } from "@a2a/testing";
import type { A2AAgent } from "@a2a/agent";
import { harness, textMessage, type Harness } from "./helpers.js";

/** A skill that emits one artifact per released step, then completes. */
function gatedSkill(agent: A2AAgent, steps: number) {
  let released = 0;
  let wake: (() => void) | undefined;
  agent.skill({
    id: "steps",
    handler: async (_input, ctx) => {
      for (let i = 0; i < steps; i++) {
        while (released <= i) await new Promise<void>((resolve) => (wake = resolve));
        await ctx.artifact({ artifactId: `step-${i}`, data: { step: i } });
      }
      return undefined;
    },
  });
  return (upTo: number) => {
    released = upTo;
    wake?.();
  };
}

const resume = (after: number) => ({ [RESUME_EXTENSION_URI]: { afterEventSeq: after } });
const stepOf = (r: DecodedReply) => ((r.result as { artifactUpdate?: { artifact: { parts: [{ data: { step: number } }] } } }).artifactUpdate?.artifact.parts[0].data.step);

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function startStream(steps: number, options: Parameters<typeof harness>[1] = {}) {
  let release!: (upTo: number) => void;
  h = await harness((agent) => (release = gatedSkill(agent, steps)), options);
  const id = await h.client.send("SendStreamingMessage", textMessage("go"));
  const first = await waitFor(() => h!.client.repliesFor(id)[0], { message: "the Task frame" });
  const taskId = (first.result as { task: { id: string } }).task.id;
  return { id, taskId, release, first };
}

describe("resumable streams (binding section 5.1)", () => {
  it("numbers a task's events; SubscribeToTask resumes after one with the events that followed, then the live ones", async () => {
    const { id, taskId, release, first } = await startStream(6);
    expect(first.eventSeq).toBe(0);
    release(3);
    // working, step 0, step 1, step 2: events 1..4.
    await waitFor(() => h!.client.repliesFor(id).length === 5, { message: "four events" });
    expect(h!.client.repliesFor(id).map((r) => r.eventSeq)).toEqual([0, 1, 2, 3, 4]);

    const resumed = await h!.client.send("SubscribeToTask", { id: taskId, metadata: resume(2) });
    await waitFor(() => h!.client.repliesFor(resumed).length === 2, { message: "the missed events" });
    release(6);
    const frames = await h!.client.frames(resumed);
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i));
    expect(frames.map((f) => f.eventSeq)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(frames.map(stepOf)).toEqual([1, 2, 3, 4, 5, undefined]);
    expect((frames.at(-1)!.result as { statusUpdate: { status: { state: string } } }).statusUpdate.status.state).toBe("TASK_STATE_COMPLETED");
    expect(frames.some((f) => f.gap)).toBe(false);
  });

  it("when the window no longer holds the event, starts with the current Task and says so (gap)", async () => {
    const { id, taskId, release } = await startStream(10, { resumeWindow: { maxEvents: 3 } });
    release(8);
    await waitFor(() => h!.client.repliesFor(id).length === 10, { message: "nine events" });
    const resumed = await h!.client.send("SubscribeToTask", { id: taskId, metadata: resume(1) });
    const head = await waitFor(() => h!.client.repliesFor(resumed)[0], { message: "the resumed stream" });
    expect(head.gap).toBe(true);
    expect(head.eventSeq).toBe(9);
    const task = (head.result as { task: { artifacts: unknown[] } }).task;
    expect(task.artifacts).toHaveLength(8);
    release(10);
    const frames = await h!.client.frames(resumed);
    expect(frames.slice(1).map((f) => f.eventSeq)).toEqual([10, 11, 12]);
  });

  it("a task that ended meanwhile answers the missed events up to its end; beyond the window, its final Task", async () => {
    const { id, taskId, release } = await startStream(3, { resumeWindow: { maxEvents: 4 } });
    release(3);
    await h!.client.frames(id);
    const missed = await h!.client.stream("SubscribeToTask", { id: taskId, metadata: resume(3) });
    expect(missed.map((f) => f.eventSeq)).toEqual([4, 5]);
    expect(missed.at(-1)!.final).toBe(true);
    const gone = await h!.client.stream("SubscribeToTask", { id: taskId, metadata: resume(0) });
    expect(gone).toHaveLength(1);
    expect(gone[0]).toMatchObject({ final: true, gap: true, eventSeq: 5 });
    expect((gone[0]!.result as { task: { status: { state: string } } }).task.status.state).toBe("TASK_STATE_COMPLETED");
    // Without a resume point the rule of the specification holds: a terminal task is -32004.
    const plain = await h!.client.stream("SubscribeToTask", { id: taskId });
    expect(plain[0]!.error?.code).toBe(-32004);
  });

  it("resumes only the task's owner: another client's resume is answered like an unknown task", async () => {
    const { taskId, release } = await startStream(2);
    const other = await h!.newClient();
    const frames = await other.stream("SubscribeToTask", { id: taskId, metadata: resume(0) });
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ final: true, error: { code: -32001 } });
    release(2);
  });

  it("refuses a malformed resume point with -32602, in a stream frame", async () => {
    const { taskId, release } = await startStream(1);
    const frames = await h!.client.stream("SubscribeToTask", { id: taskId, metadata: { [RESUME_EXTENSION_URI]: { afterEventSeq: -1 } } });
    release(1);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ seq: 0, final: true, error: { code: -32602 } });
  });

  it("bounds each window in bytes too, and reports the bytes held", async () => {
    const { id, release } = await startStream(20, { resumeWindow: { maxBytes: 600 } });
    release(20);
    await h!.client.frames(id);
    expect(h!.agent.resumeWindowBytes).toBeGreaterThan(0);
    expect(h!.agent.resumeWindowBytes).toBeLessThanOrEqual(600);
  });
});
