import { afterEach, describe, expect, it } from "vitest";
import type { Task } from "@a2a/schema";
import { waitFor } from "@a2a/testing";
import { InMemoryTaskStore } from "@a2a/agent";
import { harness, textMessage, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Records what each save saw; a save resolves only when the test releases it (when held). */
class RecordingStore extends InMemoryTaskStore {
  readonly saved: { state: string; artifacts: number; history: number }[] = [];
  hold = false;
  readonly #held: (() => void)[] = [];

  override async save(task: Task): Promise<void> {
    this.saved.push({ state: task.status.state, artifacts: task.artifacts?.length ?? 0, history: task.history?.length ?? 0 });
    await super.save(task);
    if (this.hold) await new Promise<void>((resolve) => this.#held.push(resolve));
  }

  get waiting(): number {
    return this.#held.length;
  }

  release(): void {
    for (const resolve of this.#held.splice(0)) resolve();
  }
}

type T = { id: string; status: { state: string } };

describe("task saves", () => {
  it("saves a task's first state at once and the changes its handler makes in one go in one more save", async () => {
    const taskStore = new RecordingStore();
    h = await harness(
      (agent) =>
        agent.skill({
          id: "echo",
          handler: async (_i, ctx) => {
            for (let i = 0; i < 5; i++) await ctx.status("working", `step ${i}`);
            await ctx.artifact({ text: "done" });
          },
        }),
      { taskStore },
    );
    const task = (await h.client.call("SendMessage", textMessage("x"))).result as { task: T };
    expect(task.task.status.state).toBe("TASK_STATE_COMPLETED");
    await h.agent.stop();
    // Working, five status messages, the artifact and the completion: one save.
    expect(taskStore.saved).toEqual([
      { state: "TASK_STATE_SUBMITTED", artifacts: 0, history: 1 },
      { state: "TASK_STATE_COMPLETED", artifacts: 1, history: 6 },
    ]);
  });

  it("waits for a save under way: the changes made meanwhile are saved after it, in one save", async () => {
    const taskStore = new RecordingStore();
    h = await harness(
      (agent) =>
        agent.skill({
          id: "echo",
          handler: async (_i, ctx) => {
            await ctx.status("working", "half way");
            await ctx.artifact({ text: "done" });
          },
        }),
      { taskStore },
    );
    taskStore.hold = true;
    // The blocking reply waits until the store holds the state it reports.
    let answered = false;
    const call = h.client.call("SendMessage", textMessage("x")).then((reply) => {
      answered = true;
      return reply;
    });
    await waitFor(() => taskStore.waiting === 1 || undefined, { message: "the first save to be held" });
    expect(taskStore.saved).toEqual([{ state: "TASK_STATE_SUBMITTED", artifacts: 0, history: 1 }]);
    taskStore.release();
    await waitFor(() => taskStore.waiting === 1 || undefined, { message: "the second save to be held" });
    expect(taskStore.saved[1]).toEqual({ state: "TASK_STATE_COMPLETED", artifacts: 1, history: 2 });
    expect(answered, "answered before the completed state was saved").toBe(false);
    taskStore.hold = false;
    taskStore.release();
    const task = (await call).result as { task: T };
    expect(task.task.status.state).toBe("TASK_STATE_COMPLETED");
    await h.agent.stop();
    expect(taskStore.saved).toHaveLength(2);
  });

  it("saves changes made later (after the handler waited) again, and always the last state", async () => {
    const taskStore = new RecordingStore();
    let proceed!: () => void;
    const gate = new Promise<void>((resolve) => (proceed = resolve));
    h = await harness(
      (agent) =>
        agent.skill({
          id: "slow",
          handler: async (_i, ctx) => {
            await ctx.status("working", "one");
            await gate;
            await ctx.status("working", "two");
            await ctx.artifact({ text: "a" });
          },
        }),
      { taskStore },
    );
    taskStore.hold = true;
    const reply = (await h.client.call("SendMessage", textMessage("x", {}, { returnImmediately: true }))).result as { task: T };
    const id = reply.task.id;
    // The first save (submitted) is held; "working" and "one" wait for it.
    await waitFor(() => taskStore.waiting === 1, { message: "the first save" });
    expect(taskStore.saved.map((s) => s.state)).toEqual(["TASK_STATE_SUBMITTED"]);
    taskStore.release();
    await waitFor(() => taskStore.waiting === 1 && taskStore.saved.length === 2, { message: "the second save" });
    expect(taskStore.saved[1]).toEqual({ state: "TASK_STATE_WORKING", artifacts: 0, history: 2 });
    // Changes while the second save is held: two statuses, an artifact, the completion.
    proceed();
    await waitFor(async () => ((await h!.client.call("GetTask", { id })).result as T).status.state === "TASK_STATE_COMPLETED", {
      message: "the completion",
    });
    expect(taskStore.saved).toHaveLength(2);
    taskStore.hold = false;
    taskStore.release();
    await waitFor(() => taskStore.saved.length === 3, { message: "the save of the last state" });
    expect(taskStore.saved[2]).toEqual({ state: "TASK_STATE_COMPLETED", artifacts: 1, history: 3 });
    expect((await taskStore.get(id))?.status.state).toBe("TASK_STATE_COMPLETED");
  });
});
