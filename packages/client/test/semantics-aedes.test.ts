import { startAedes } from "@a2a/testing";
import { brokerEnv } from "./semantics/broker-env.js";
import { semanticsSuite } from "./semantics/semantics-suite.js";

// aedes speaks MQTT 3.1.1 only: replies are routed by the `replyTo` member and no
// PUBACK reason codes exist.
semanticsSuite("aedes (MQTT 3.1.1, real sockets)", async () => brokerEnv(await startAedes(), { mqtt5: false }));
