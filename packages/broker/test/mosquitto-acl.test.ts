import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { describe } from "vitest";
import { freePort, requireMosquitto, waitFor } from "@a2a/testing";
import { toMosquittoConfig } from "../src/index.js";
import { aclSuite } from "./helpers/acl-suite.js";
import { fixtureUsers } from "./helpers/fixture-users.js";
import { runMosquitto } from "./helpers/run-mosquitto.js";

// Under CI=true a missing mosquitto fails here instead of skipping.
describe.runIf(requireMosquitto())("exported to mosquitto", () => {
  aclSuite("the same ACL on mosquitto (MQTT 5), from toMosquittoConfig", async () => {
    const dir = await mkdtemp(join(tmpdir(), "a2a-broker-mosquitto-"));
    const port = await freePort();
    const files = { passwordFile: join(dir, "passwd"), aclFile: join(dir, "acl") };
    const exported = toMosquittoConfig({ users: await fixtureUsers(), port, host: "127.0.0.1", files });
    await writeFile(files.passwordFile, exported.passwordFile, { mode: 0o600 });
    await writeFile(files.aclFile, exported.aclFile, { mode: 0o600 });
    const confPath = join(dir, "mosquitto.conf");
    // The log file is written line by line, unlike stderr on a pipe.
    const logPath = join(dir, "mosquitto.log");
    const log = () => readFile(logPath, "utf8").catch(() => "");
    // Started as root, mosquitto would switch to the `mosquitto` user, who cannot read
    // the test's private temporary directory.
    await writeFile(confPath, `${exported.conf}\nlog_dest stderr\nlog_dest file ${logPath}\nuser ${userInfo().username}\n`);
    const mosquitto = await runMosquitto(confPath, port);
    return {
      broker: { url: `mqtt://127.0.0.1:${port}`, protocolVersion: 5 },
      // MQTT 5 lets mosquitto say so: PUBACK reason 0x87 (not authorized), message dropped.
      refusedPublish: 0x87,
      // mosquitto grants every SUBSCRIBE and checks read access per delivered message.
      refusedSubscribe: "delivery",
      // mosquitto logs every disconnection (the client id is the username here).
      watchDisconnect: async (username: string) => {
        const before = (await log()).length;
        const ended = new RegExp(`Client ${username.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} (closed its connection|disconnected)|Socket error on client ${username}`);
        return async () => {
          await waitFor(async () => ended.test((await log()).slice(before)), { message: `mosquitto noticing that ${username} went away` });
        };
      },
      close: async () => {
        await mosquitto.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });
});
