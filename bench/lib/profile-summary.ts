/** Reads the profiles of lib/profiler.ts back: where the CPU time and the allocations went. */
import { readFileSync } from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface CpuNode {
  id: number;
  callFrame: CallFrame;
}
interface CpuProfile {
  nodes: CpuNode[];
  samples: number[];
  timeDeltas: number[];
}
interface HeapNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapNode[];
}

/** A short name of where code lives: `@a2a/agent/task-manager.ts`, `mqtt-packet`, `node:net`. */
export function area(url: string): string {
  if (url === "") return "(native)";
  const ours = /packages\/([^/]+)\/(?:src|dist)\/(.*)$/.exec(url);
  if (ours) return `@a2a/${ours[1]}/${ours[2]}`;
  const dep = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (dep) return dep[1]!;
  const bench = /\/bench\/(.*)$/.exec(url);
  if (bench) return `bench/${bench[1]}`;
  return url.startsWith("node:") ? url : url.slice(-60);
}

export interface Share {
  name: string;
  /** Self time, µs (CPU) or bytes (allocation). */
  amount: number;
}

function ranked(map: Map<string, number>, top: number): Share[] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, amount]) => ({ name, amount }));
}

export function cpuSummary(file: string, top = 25): { totalUs: number; idleUs: number; byArea: Share[]; byFunction: Share[] } {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const frame = nodes.get(id)!.callFrame;
    if (frame.functionName === "(idle)") {
      idleUs += dt;
      return;
    }
    totalUs += dt;
    const where = area(frame.url);
    byArea.set(where, (byArea.get(where) ?? 0) + dt);
    const name = `${frame.functionName || "(anonymous)"} ${where}${frame.url ? `:${frame.lineNumber + 1}` : ""}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + dt);
  });
  return { totalUs, idleUs, byArea: ranked(byArea, top), byFunction: ranked(byFunction, top) };
}

export function heapSummary(file: string, top = 25): { totalBytes: number; byArea: Share[]; byFunction: Share[] } {
  const { head } = JSON.parse(readFileSync(file, "utf8")) as { head: HeapNode };
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalBytes = 0;
  const visit = (node: HeapNode): void => {
    if (node.selfSize > 0) {
      const frame = node.callFrame;
      const where = area(frame.url);
      totalBytes += node.selfSize;
      byArea.set(where, (byArea.get(where) ?? 0) + node.selfSize);
      const name = `${frame.functionName || "(anonymous)"} ${where}${frame.url ? `:${frame.lineNumber + 1}` : ""}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + node.selfSize);
    }
    for (const child of node.children) visit(child);
  };
  visit(head);
  return { totalBytes, byArea: ranked(byArea, top), byFunction: ranked(byFunction, top) };
}
