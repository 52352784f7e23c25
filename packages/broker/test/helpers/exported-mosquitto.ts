import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { mosquittoTestConfig, spawnMosquitto, type MosquittoProcess } from "@a2a/testing";
import { toMosquittoConfig, type MosquittoExportOptions } from "../../src/index.js";

export interface RunExportedMosquittoOptions {
  /** The directory the files are written to: mosquitto.conf, passwd and acl. */
  dir: string;
  /** What `toMosquittoConfig` exports; the file paths are set to `dir`'s. */
  export: Omit<MosquittoExportOptions, "files">;
  /** Lines appended to the exported mosquitto.conf. @default "" */
  extraConfig?: string;
}

/**
 * Writes the export of `toMosquittoConfig` into `dir` (readable by the test's user only,
 * as a real install keeps them) and runs mosquitto on it, resolving once its listener
 * accepts connections.
 */
export async function runExportedMosquitto(options: RunExportedMosquittoOptions): Promise<MosquittoProcess> {
  const files = { passwordFile: join(options.dir, "passwd"), aclFile: join(options.dir, "acl") };
  const exported = toMosquittoConfig({ ...options.export, files });
  await writeFile(files.passwordFile, exported.passwordFile, { mode: 0o600 });
  await writeFile(files.aclFile, exported.aclFile, { mode: 0o600 });
  const configFile = join(options.dir, "mosquitto.conf");
  await writeFile(configFile, `${exported.conf}\n${mosquittoTestConfig()}${options.extraConfig ?? ""}\n`);
  const { port = 1883, wsPort } = options.export;
  return spawnMosquitto({ configFile, ports: wsPort === undefined ? [port] : [port, wsPort] });
}
