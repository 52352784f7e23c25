import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "@a2a/testing";
import type { LogFields, Logger } from "@a2a/transport";
import { createBroker } from "../src/index.js";
import { fixtureUsers, PASSWORDS } from "./helpers/fixture-users.js";
import { closeAll, connectAs, subscribeCode } from "./helpers/mqtt-clients.js";

describe("the broker with a structured logger", () => {
  afterEach(closeAll);

  it("writes each refusal as a warn line with its fields", async () => {
    const lines: Array<{ level: string; fields: LogFields; message: string }> = [];
    const at = (level: string) => (fields: LogFields, message: string) => lines.push({ level, fields, message });
    const logger: Logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
    const broker = await createBroker({ port: 0, users: await fixtureUsers(), logger });
    try {
      const target = { url: broker.url, protocolVersion: 4 as const };
      const echo = await connectAs(target, { username: "acme/echo", password: PASSWORDS["acme/echo"] });
      expect(await subscribeCode(echo, "acme/other/tasks")).toBe(0x80);
      await expect(connectAs(target, { username: "alice", password: "wrong" })).rejects.toThrow(/Bad username or password/i);
      await waitFor(() => lines.length >= 2);
      expect(lines.map((l) => [l.level, l.fields.kind])).toEqual([
        ["warn", "subscribe-denied"],
        ["warn", "auth-failed"],
      ]);
      expect(lines[0]?.fields).toMatchObject({ username: "acme/echo", topic: "acme/other/tasks" });
      expect(typeof lines[0]?.fields.clientId).toBe("string");
      expect(lines[0]?.message).toContain('"acme/other/tasks"');
      expect(lines[1]?.fields).toEqual(expect.objectContaining({ username: "alice" }));
    } finally {
      await broker.close();
    }
  });
});
