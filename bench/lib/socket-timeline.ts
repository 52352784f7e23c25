/**
 * Loaded with `--import` by `pnpm bench:timeline` into the harness and (inherited) into
 * every server process: records the time and size of each socket read (`data`) and each
 * write handed to the kernel, and writes them to `$BENCH_TIMELINE_DIR/<pid>.txt` at exit.
 * Does nothing without that variable.
 */
import { writeFileSync } from "node:fs";
import { Socket } from "node:net";
import { join } from "node:path";

const dir = process.env.BENCH_TIMELINE_DIR;
if (dir !== undefined) record(dir);

function record(into: string): void {
  const capacity = 1 << 20;
  const at = new Float64Array(capacity);
  const bytes = new Uint32Array(capacity);
  const kind = new Uint8Array(capacity); // 1 read, 2 write
  let count = 0;
  // Absolute microseconds, comparable across the processes of one machine.
  const origin = performance.timeOrigin;
  const note = (what: number, size: number): void => {
    if (count === capacity) return;
    at[count] = (origin + performance.now()) * 1000;
    bytes[count] = size;
    kind[count++] = what;
  };
  type Emit = (this: unknown, event: string, ...args: unknown[]) => boolean;
  // Node's one method through which a socket's writes reach the kernel (private).
  type WriteGeneric = (this: unknown, ...args: [writev: boolean, data: unknown, ...rest: unknown[]]) => unknown;
  const proto = Socket.prototype as unknown as { emit: Emit; _writeGeneric: WriteGeneric };
  const emit = proto.emit;
  proto.emit = function (event, ...args) {
    if (event === "data") note(1, (args[0] as { length?: number } | undefined)?.length ?? 0);
    return emit.call(this, event, ...args);
  };
  const writeGeneric = proto._writeGeneric;
  proto._writeGeneric = function (...args) {
    const [writev, data] = args;
    const size = writev
      ? (data as Array<{ chunk: { length: number } }>).reduce((sum, d) => sum + d.chunk.length, 0)
      : (data as { length: number }).length;
    note(2, size);
    return writeGeneric.apply(this, args);
  };
  const role = process.env.BENCH_SERVER ?? "harness";
  const save = (): void => {
    const lines = [role];
    for (let i = 0; i < count; i++) lines.push(`${at[i]!.toFixed(2)} ${kind[i]} ${bytes[i]}`);
    writeFileSync(join(into, `${process.pid}.txt`), lines.join("\n"));
  };
  process.once("exit", save);
}
