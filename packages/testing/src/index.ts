export { waitFor, type WaitForOptions } from "./wait-for.js";
export { freePort } from "./free-port.js";
export { startAedes, type AedesHandle, type StartAedesOptions } from "./start-aedes.js";
export {
  mosquittoAvailable,
  mosquittoPath,
  mosquittoTestConfig,
  requireMosquitto,
  spawnMosquitto,
  startMosquitto,
  type MosquittoHandle,
  type MosquittoProcess,
  type SpawnMosquittoOptions,
  type StartMosquittoOptions,
} from "./mosquitto.js";
export { redisServerPath, requireRedis, startRedis, type RedisHandle } from "./redis.js";
export { createTestPki, requireOpenssl, type CreateTestPkiOptions, type TestKeyPair, type TestPki } from "./certificates.js";
export { markdownCodeBlocks, runTypeScript, type RunTypeScriptOptions, type RunTypeScriptResult } from "./run-typescript.js";
export { seededRandom } from "./seeded-random.js";
