import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | undefined;

/** The heap in use after a full collection (when the runtime lets us force one). */
export function heapUsedAfterGc(): number {
  if (gc === undefined) {
    // Exposes gc() without a command-line flag; the function comes from a fresh context.
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
  return process.memoryUsage().heapUsed;
}

export const MiB = 1024 * 1024;
