import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe } from "vitest";
import { freePort, requireMosquitto, waitFor } from "@a2a/testing";
import { aclSuite } from "./helpers/acl-suite.js";
import { fixtureUsers } from "./helpers/fixture-users.js";
import { runExportedMosquitto } from "./helpers/exported-mosquitto.js";

// Under CI=true a missing mosquitto fails here instead of skipping.
describe.runIf(requireMosquitto())("exported to mosquitto", () => {
  aclSuite("the same ACL on mosquitto (MQTT 5), from toMosquittoConfig", async () => {
    const dir = await mkdtemp(join(tmpdir(), "a2a-broker-mosquitto-"));
    const port = await freePort();
    // The log file is written line by line, unlike stderr on a pipe.
    const logPath = join(dir, "mosquitto.log");
    const log = () => readFile(logPath, "utf8").catch(() => "");
    const mosquitto = await runExportedMosquitto({
      dir,
      export: { users: await fixtureUsers(), port, host: "127.0.0.1" },
      extraConfig: `log_dest file ${logPath}`,
    });
    return {
      broker: { url: `mqtt://127.0.0.1:${port}`, protocolVersion: 5 },
      // MQTT 5 lets mosquitto say so: PUBACK reason 0x87 (not authorized), message dropped.
      refusedPublish: 0x87,
      // mosquitto grants every SUBSCRIBE and checks read access per delivered message.
      refusedSubscribe: "delivery",
      // use_username_as_clientid: every connection's client id is its username.
      foreignClientId: "own-id",
      persistentSession: { properties: { sessionExpiryInterval: 300 } },
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
