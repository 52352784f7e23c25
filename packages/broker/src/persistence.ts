// The module declaration for aedes-persistence-level (untyped), also for programs that
// reach this file through a test rather than through this package's tsconfig.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./aedes-persistence-level.d.ts" />
import { mkdir } from "node:fs/promises";
import aedesPersistenceLevel from "aedes-persistence-level";
import { Level } from "level";

/** Where the broker keeps its state between restarts. */
export interface BrokerPersistenceOptions {
  /**
   * A directory for a LevelDB database holding retained messages (Agent Cards),
   * subscriptions of persistent sessions, queued QoS 1/2 messages for offline clients
   * and wills. Created when missing. One broker at a time may use it.
   */
  dir: string;
}

export interface OpenPersistence {
  /** The aedes persistence instance. */
  persistence: unknown;
  close(): Promise<void>;
}

/** Opens the LevelDB persistence in `options.dir`. */
export async function openPersistence(options: BrokerPersistenceOptions): Promise<OpenPersistence> {
  await mkdir(options.dir, { recursive: true });
  const db = new Level(options.dir);
  try {
    await db.open();
  } catch (error) {
    throw new Error(`Cannot open the broker database in ${options.dir} (is another broker using it?): ${(error as Error).message}`, { cause: error });
  }
  const persistence = aedesPersistenceLevel(db);
  return {
    persistence,
    close: async () => {
      await persistence.destroy();
    },
  };
}
