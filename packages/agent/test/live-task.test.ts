import { describe, expect, it } from "vitest";
import type { Message, StreamResponse, Task } from "@a2a/schema";
import { LiveTask, type TaskEnvironment } from "../src/live-task.js";
import { taskBytes } from "../src/memory-budget.js";
import type { RegisteredSkill } from "../src/skill.js";
import { TaskLimiter } from "../src/task-limiter.js";

const skill: RegisteredSkill = { id: "s", name: "s", description: "s", tags: ["s"], handler: () => undefined };
const userMessage: Message = { messageId: "m1", role: "ROLE_USER", parts: [{ text: "hi" }] };

/** A live task on an environment that records saves and the events it hands out. */
function liveTask(options: { maxRunning?: number } = {}) {
  const saved: string[] = [];
  const events: StreamResponse[] = [];
  const limiter = new TaskLimiter({ maxRunning: options.maxRunning ?? 4, maxQueued: 4 });
  const env: TaskEnvironment = {
    save: async (task: Task) => void saved.push(task.status.state),
    onError: (error) => {
      throw error;
    },
    onEvent: (_taskId, event) => events.push(event),
    maxBufferedEvents: 16,
    inputTimeoutMs: 60_000,
    limiter,
  };
  const live = LiveTask.forMessage({ message: userMessage, skill }, env);
  return { live, saved, events, limiter };
}

function states(events: StreamResponse[]): string[] {
  return events.map((e) => ("statusUpdate" in e ? e.statusUpdate.status.state : "artifactUpdate" in e ? "artifact" : "other"));
}

describe("a live task", () => {
  it("is created submitted, in the message's context, and saved at once", () => {
    const { live, saved } = liveTask();
    expect(live.task.status.state).toBe("TASK_STATE_SUBMITTED");
    expect(live.firstMessage).toMatchObject({ taskId: live.id, contextId: live.contextId });
    expect(live.task.history).toEqual([live.firstMessage]);
    expect(saved).toEqual(["TASK_STATE_SUBMITTED"]);
  });

  it("takes no change once terminal: every later transition is ignored, none is published", async () => {
    const { live, events } = liveTask();
    const subscription = live.bus.subscribe();
    live.working("step");
    live.complete("done");
    const final = live.snapshot();
    expect(final.status.state).toBe("TASK_STATE_COMPLETED");
    expect(states(events)).toEqual(["TASK_STATE_WORKING", "artifact", "TASK_STATE_COMPLETED"]);

    live.working("again");
    live.addArtifact({ artifactId: "a2", parts: [{ text: "late" }] });
    live.fail("late failure");
    live.cancel();
    live.abort("stopping");
    live.complete("twice");
    await expect(live.requireInput([{ text: "more?" }])).rejects.toThrow("already ended");

    expect(live.snapshot()).toEqual(final);
    expect(states(events)).toHaveLength(3);
    expect(live.aborted).toBe(false);
    // The bus closed at the terminal state: the subscription ends after the events it had.
    const seen: StreamResponse[] = [];
    for await (const event of subscription) seen.push(event);
    expect(states(seen)).toEqual(["TASK_STATE_WORKING", "artifact", "TASK_STATE_COMPLETED"]);
  });

  it("fails instead of completing when the result cannot be sent as JSON", () => {
    const { live } = liveTask();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    live.complete(circular);
    expect(live.task.status.state).toBe("TASK_STATE_FAILED");
    const [reason] = live.task.status.message?.parts ?? [];
    expect(reason !== undefined && "text" in reason ? reason.text : undefined).toContain("The skill's result cannot be sent");
    expect(live.task.artifacts).toBeUndefined();
  });

  it("gives its slot back while waiting for input and takes one again before the handler goes on", async () => {
    const { live, limiter } = liveTask({ maxRunning: 1 });
    const release = limiter.tryAcquire();
    expect(release).toBeDefined();
    live.holdSlot(release!);
    const stopped = live.nextStop();
    const reply = live.requireInput([{ text: "Which warehouse?" }]);
    expect((await stopped).status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    expect(live.awaitingInput).toBe(true);
    expect(limiter.running).toBe(0);

    // Another task takes the only slot: the resumed one waits for it (forced past the queue bound).
    const other = limiter.tryAcquire()!;
    live.resume({ messageId: "m2", role: "ROLE_USER", parts: [{ text: "north" }] });
    expect(live.task.status.state).toBe("TASK_STATE_WORKING");
    expect(live.awaitingInput).toBe(false);
    let resumed = false;
    void reply.then(() => (resumed = true));
    await Promise.resolve();
    expect(resumed).toBe(false);
    other();
    const message = await reply;
    expect(message).toMatchObject({ taskId: live.id, contextId: live.contextId, parts: [{ text: "north" }] });
    expect(limiter.running).toBe(1);
    live.settle();
    expect(limiter.running).toBe(0);
  });

  it("aborts its handler's signal and its input wait when canceled", async () => {
    const { live } = liveTask();
    const reply = live.requireInput([{ text: "?" }]);
    live.cancel();
    expect(live.task.status.state).toBe("TASK_STATE_CANCELED");
    expect(live.signal.aborted).toBe(true);
    await expect(reply).rejects.toMatchObject({ name: "AbortError" });
  });

  it("ends failed with the reason when ended from outside its handler", () => {
    const { live } = liveTask();
    live.working();
    live.abort("The agent stopped before the task finished");
    expect(live.task.status).toMatchObject({ state: "TASK_STATE_FAILED", message: { parts: [{ text: "The agent stopped before the task finished" }] } });
    expect(live.signal.aborted).toBe(true);
  });
});

describe("a live task's size", () => {
  /** An environment that records the size handed to each save. */
  function sizeRecordingEnv(): { sizes: Array<number | undefined>; env: TaskEnvironment } {
    const sizes: Array<number | undefined> = [];
    const env: TaskEnvironment = {
      save: async (_task: Task, bytes?: number) => void sizes.push(bytes),
      onError: (error) => {
        throw error;
      },
      maxBufferedEvents: 16,
      inputTimeoutMs: 60_000,
      limiter: new TaskLimiter({ maxRunning: 4, maxQueued: 4 }),
    };
    return { sizes, env };
  }

  it("is kept up with each change as the store would measure it, and handed to each save", async () => {
    const { sizes, env } = sizeRecordingEnv();
    const message: Message = { messageId: "m-size", role: "ROLE_USER", parts: [{ text: "hello" }, { data: { rows: [1, 2, 3] } }] };
    const live = LiveTask.forMessage({ message, skill }, env);
    const measured = (): number => taskBytes(live.task);
    expect(sizes).toEqual([measured()]);
    live.working("step one");
    live.addArtifact({ artifactId: "a1", parts: [{ text: "first" }] });
    live.addArtifact({ artifactId: "a1", parts: [{ text: "more" }], append: true });
    live.addArtifact({ artifactId: "a2", parts: [{ text: "x" }] });
    live.addArtifact({ artifactId: "a2", parts: [{ data: { replaced: true } }] });
    live.complete("done");
    await live.saving;
    expect(sizes.at(-1)).toBe(measured());
  });

  it("counts an echo of the first message's parts as that message, measured from its request", () => {
    const { sizes, env } = sizeRecordingEnv();
    const live = LiveTask.forMessage({ message: userMessage, skill, bytes: 1000 }, env);
    expect(sizes[0]).toBeGreaterThan(1000);
    const before = sizes[0]!;
    live.addArtifact({ artifactId: "echo", parts: [...live.firstMessage.parts] });
    live.complete(undefined);
    return live.saving.then(() => expect(sizes.at(-1)! - before).toBeGreaterThan(1000));
  });
});
