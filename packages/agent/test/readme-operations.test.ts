import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { deferred, harness, textMessage, type Harness } from "./helpers.js";
import { operations } from "./fixtures/readme-operations.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("the README's replaced operation", () => {
  it("is test/fixtures/readme-operations.ts, and refuses to cancel a running payment only", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const example = await readFile(new URL("./fixtures/readme-operations.ts", import.meta.url), "utf8");
    expect(readme).toContain("```ts\n" + example + "```");

    const gate = deferred();
    h = await harness(
      (agent) => {
        for (const id of ["payment", "report"]) agent.skill({ id, handler: () => gate.promise });
      },
      { operations },
    );
    const start = async (skillId: string) => {
      const params = textMessage("go", { metadata: { skillId } }, { returnImmediately: true });
      return ((await h!.client.call("SendMessage", params)).result as { task: { id: string } }).task.id;
    };
    const payment = await start("payment");
    const report = await start("report");
    expect((await h.client.call("CancelTask", { id: payment })).error).toMatchObject({ code: -32002 });
    expect((await h.client.call("CancelTask", { id: report })).result).toMatchObject({ status: { state: "TASK_STATE_CANCELED" } });
    gate.resolve();
  });
});
