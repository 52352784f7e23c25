import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, µs, from /proc (Linux). */
export function processCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1e6) / TICKS_PER_SECOND;
}

/** Write system calls (write, writev, sendmsg, ...) a process has made so far, from /proc (Linux). */
export function processWrites(pid: number): number {
  const io = readFileSync(`/proc/${pid}/io`, "utf8");
  return Number(/^syscw:\s*(\d+)/m.exec(io)?.[1] ?? Number.NaN);
}
