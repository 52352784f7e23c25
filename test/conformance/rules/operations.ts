import { expect } from "vitest";
import type { ConformanceRule } from "../adapter.js";
import { SKILLS } from "../agent-under-test.js";
import { call, expectError, message, resultOf, sendTask, stream, withExtension, type WireTask } from "./helpers.js";

/** Rules of the A2A v1.0 operations (specification section 3). */
export const operationRules: ConformanceRule[] = [
  {
    id: "CORE-SEND-001",
    section: "A2A 3.1.1, 3.4.2",
    text: "SendMessage returns the Task; agents MUST generate a unique taskId and include it in the Task returned",
    async run(a) {
      const first = await sendTask(a, SKILLS.echo);
      const second = await sendTask(a, SKILLS.echo);
      expect(first.status.state).toBe("TASK_STATE_COMPLETED");
      expect(typeof first.id).toBe("string");
      expect(first.id).not.toBe(second.id);
      expect(typeof first.contextId).toBe("string");
    },
  },
  {
    id: "CORE-SEND-002",
    section: "A2A 3.1.1",
    text: "Messages sent to Tasks in a terminal state MUST be refused with UnsupportedOperationError",
    async run(a) {
      const task = await sendTask(a, SKILLS.echo);
      expectError(await call(a, "SendMessage", message(SKILLS.echo, "again", { taskId: task.id })), -32004);
    },
  },
  {
    id: "CORE-SEND-003",
    section: "A2A 3.4.2",
    text: "Agents MUST return TaskNotFoundError if the provided taskId does not correspond to an existing task",
    async run(a) {
      expectError(await call(a, "SendMessage", message(SKILLS.echo, "x", { taskId: "no-such-task" })), -32001);
    },
  },
  {
    id: "CORE-MULTI-001",
    section: "A2A 3.4.1, 3.4.2",
    text: "A message with the taskId of an input-required task continues it in the same context",
    async run(a) {
      const asked = await sendTask(a, SKILLS.ask);
      expect(asked.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
      const done = await sendTask(a, SKILLS.ask, { text: "blue", extra: { taskId: asked.id } });
      expect(done.id).toBe(asked.id);
      expect(done.contextId).toBe(asked.contextId);
      expect(done.status.state).toBe("TASK_STATE_COMPLETED");
    },
  },
  {
    id: "CORE-GET-001",
    section: "A2A 3.1.3, 3.2.4",
    text: "GetTask returns the task (historyLength 0: no history); an unknown id MUST give TaskNotFoundError",
    async run(a) {
      const task = await sendTask(a, SKILLS.echo);
      const got = resultOf<WireTask>(await call(a, "GetTask", { id: task.id }));
      expect(got.id).toBe(task.id);
      expect(got.status.state).toBe("TASK_STATE_COMPLETED");
      const none = resultOf<WireTask>(await call(a, "GetTask", { id: task.id, historyLength: 0 }));
      expect(none.history ?? []).toHaveLength(0);
      expectError(await call(a, "GetTask", { id: "no-such-task" }), -32001);
    },
  },
  {
    id: "CORE-LIST-001",
    section: "A2A 3.1.4",
    text: "nextPageToken MUST always be present (\"\" on the last page); without includeArtifacts artifacts MUST be omitted",
    async run(a) {
      const task = await sendTask(a, SKILLS.echo);
      const page = resultOf<{ tasks: WireTask[]; nextPageToken: string }>(await call(a, "ListTasks", { contextId: task.contextId }));
      expect(page.nextPageToken).toBe("");
      expect(page.tasks.map((t) => t.id)).toEqual([task.id]);
      expect(page.tasks[0]).not.toHaveProperty("artifacts");
    },
  },
  {
    id: "CORE-CANCEL-001",
    section: "A2A 3.1.5",
    text: "Canceling a working task gives it TASK_STATE_CANCELED; a terminal task MUST give TaskNotCancelableError",
    async run(a) {
      const working = resultOf<{ task: WireTask }>(
        await call(a, "SendMessage", { ...message(SKILLS.wait), configuration: { returnImmediately: true } }),
      ).task;
      const canceled = resultOf<WireTask>(await call(a, "CancelTask", { id: working.id }));
      expect(canceled.status.state).toBe("TASK_STATE_CANCELED");
      expectError(await call(a, "CancelTask", { id: working.id }), -32002);
      expectError(await call(a, "CancelTask", { id: "no-such-task" }), -32001);
    },
  },
  {
    id: "CORE-STREAM-001",
    section: "A2A 3.1.2",
    text: "A task lifecycle stream MUST begin with the Task and MUST close when the task reaches a terminal state",
    async run(a) {
      const frames = await stream(a, "SendStreamingMessage", message(SKILLS.steps));
      const results = frames.map((f) => f.result as Record<string, { status?: { state: string } }>);
      expect(Object.keys(results[0]!)).toEqual(["task"]);
      const last = results.at(-1)!;
      expect(last.statusUpdate?.status?.state).toBe("TASK_STATE_COMPLETED");
      expect(results.filter((r) => "artifactUpdate" in r)).toHaveLength(3);
    },
  },
  {
    id: "CORE-SUB-001",
    section: "A2A 3.1.6",
    text: "SubscribeToTask MUST return a Task object as the first event in the stream",
    async run(a) {
      const asked = resultOf<{ task: WireTask }>(
        await call(a, "SendMessage", { ...message(SKILLS.wait), configuration: { returnImmediately: true } }),
      ).task;
      // The stream ends when the task does: cancel it once the first frame arrived.
      let cancel: Promise<unknown> | undefined;
      const frames = await a.stream("SubscribeToTask", { id: asked.id }, withExtension({
        onFrame: () => void (cancel ??= call(a, "CancelTask", { id: asked.id }).then(resultOf)),
      }));
      await cancel;
      expect((frames[0]!.result as { task?: WireTask }).task?.id).toBe(asked.id);
      expect(frames.at(-1)!.final).toBe(true);
    },
  },
  {
    id: "CORE-SUB-002",
    section: "A2A 3.1.6",
    text: "SubscribeToTask on a terminal task MUST give UnsupportedOperationError, on an unknown one TaskNotFoundError",
    async run(a) {
      const task = await sendTask(a, SKILLS.echo);
      const terminal = await stream(a, "SubscribeToTask", { id: task.id });
      expectError(terminal.at(-1)!, -32004);
      const unknown = await stream(a, "SubscribeToTask", { id: "no-such-task" });
      expectError(unknown.at(-1)!, -32001);
    },
  },
  {
    id: "CORE-FAIL-001",
    section: "A2A 4.1.3",
    text: "A task whose processing fails ends in TASK_STATE_FAILED (a task state, not a protocol error)",
    async run(a) {
      const task = await sendTask(a, SKILLS.fail);
      expect(task.status.state).toBe("TASK_STATE_FAILED");
    },
  },
];
