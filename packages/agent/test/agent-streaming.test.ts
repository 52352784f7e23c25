import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "@a2a/testing";
import { deferred, harness, textMessage, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Event = Record<string, { status?: { state: string }; artifact?: { parts: unknown[]; artifactId: string } } & Record<string, unknown>>;

describe("SendStreamingMessage", () => {
  it("streams the Task first, then status and artifact updates, ending at completion", async () => {
    h = await harness((agent) =>
      agent.skill({
        id: "writer",
        handler: async (_input, ctx) => {
          await ctx.status("working", "thinking");
          await ctx.artifact({ text: "Hello, ", name: "text" });
          await ctx.artifact({ text: "world", append: true, lastChunk: true });
          return undefined;
        },
      }),
    );
    const frames = await h.client.stream("SendStreamingMessage", textMessage("go"));
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i));
    expect(frames.filter((f) => f.final)).toHaveLength(1);
    expect(frames.at(-1)?.final).toBe(true);
    const events = frames.map((f) => f.result as Event);
    expect(Object.keys(events[0]!)).toEqual(["task"]);
    expect(events[0]!.task!.status!.state).toBe("TASK_STATE_SUBMITTED");
    const kinds = events.slice(1).map((e) => Object.keys(e)[0]);
    expect(kinds).toEqual(["statusUpdate", "statusUpdate", "artifactUpdate", "artifactUpdate", "statusUpdate"]);
    expect(events.at(-1)!.statusUpdate!.status!.state).toBe("TASK_STATE_COMPLETED");
    const chunks = events.filter((e) => e.artifactUpdate).map((e) => e.artifactUpdate!);
    expect(chunks[1]!.append).toBe(true);
    expect(chunks[1]!.artifact!.artifactId).toBe(chunks[0]!.artifact!.artifactId);
    const task = (await h.client.call("GetTask", { id: (events[0]!.task as unknown as { id: string }).id })).result as {
      artifacts: { parts: unknown[] }[];
    };
    expect(task.artifacts).toHaveLength(1);
    expect(task.artifacts[0]!.parts).toEqual([{ text: "Hello, " }, { text: "world" }]);
  });

  it("ends the stream when the task needs input", async () => {
    h = await harness((agent) => agent.skill({ id: "ask", handler: async (_i, ctx) => (await ctx.requestInput("which?")).messageId }));
    const frames = await h.client.stream("SendStreamingMessage", textMessage("go"));
    const last = frames.at(-1)!.result as Event;
    expect(last.statusUpdate!.status!.state).toBe("TASK_STATE_INPUT_REQUIRED");
  });
});

describe("SubscribeToTask", () => {
  it("gives several subscribers the current Task first and then the same events in the same order", async () => {
    const step = deferred();
    const finish = deferred();
    h = await harness((agent) =>
      agent.skill({
        id: "steps",
        handler: async (_i, ctx) => {
          await step.promise;
          for (let i = 0; i < 5; i++) await ctx.artifact({ data: { i } });
          await finish.promise;
          return "end";
        },
      }),
      // A second client follows the first one's task.
      { scopeTasks: false },
    );
    const task = (await h.client.call("SendMessage", textMessage("go", {}, { returnImmediately: true }))).result as {
      task: { id: string };
    };
    const other = await h.newClient();
    const id1 = await h.client.send("SubscribeToTask", { id: task.task.id });
    const id2 = await other.send("SubscribeToTask", { id: task.task.id });
    await waitFor(() => h!.client.repliesFor(id1).length >= 1 && other.repliesFor(id2).length >= 1);
    expect(Object.keys(h.client.repliesFor(id1)[0]!.result as object)).toEqual(["task"]);
    step.resolve();
    finish.resolve();
    const a = await h.client.frames(id1);
    const b = await other.frames(id2);
    const strip = (frames: typeof a) => frames.slice(1).map((f) => JSON.stringify(f.result));
    expect(strip(a)).toEqual(strip(b));
    expect(strip(a).length).toBeGreaterThanOrEqual(7);
    expect((a.at(-1)!.result as Event).statusUpdate!.status!.state).toBe("TASK_STATE_COMPLETED");
  });

  it("answers -32004 for a terminal task and -32001 for an unknown one", async () => {
    h = await harness((agent) => agent.registerTool(function echo() { return "x"; }));
    const done = (await h.client.call("SendMessage", textMessage("go"))).result as { task: { id: string } };
    expect((await h.client.call("SubscribeToTask", { id: done.task.id })).error?.code).toBe(-32004);
    expect((await h.client.call("SubscribeToTask", { id: "missing" })).error?.code).toBe(-32001);
  });
});
