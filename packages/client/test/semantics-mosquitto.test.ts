import { describe } from "vitest";
import { requireMosquitto, startMosquitto } from "@a2a/testing";
import { brokerEnv } from "./semantics/broker-env.js";
import { semanticsSuite } from "./semantics/semantics-suite.js";

// Under CI=true a missing mosquitto fails the run instead of skipping it.
describe.runIf(requireMosquitto())("on mosquitto", () => {
  semanticsSuite("mosquitto (MQTT 5, real sockets)", async () => brokerEnv(await startMosquitto(), { mqtt5: true }));
});
