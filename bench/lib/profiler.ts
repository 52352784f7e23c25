/**
 * CPU and allocation profiles of one process, started and stopped around the measured
 * part of a workload (warm-up and start-up are left out). Written as `.cpuprofile` and
 * `.heapprofile` files, which Chrome DevTools opens.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

export interface Profiling {
  /** Stops both profilers and writes `<prefix>.cpuprofile` and `<prefix>.heapprofile`. */
  stop(prefix: string): Promise<{ cpu: string; heap: string }>;
}

export async function startProfiling(options: { intervalUs?: number } = {}): Promise<Profiling> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: options.intervalUs ?? 100 });
  await session.post("HeapProfiler.enable");
  // Every 8 KB allocated on average: enough samples for a share per function.
  // Collected objects included: the profile shows what was allocated, not what survived.
  await session.post("HeapProfiler.startSampling", {
    samplingInterval: 8_192,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
  await session.post("Profiler.start");
  return {
    async stop(prefix) {
      const { profile } = await session.post("Profiler.stop");
      const { profile: heap } = await session.post("HeapProfiler.stopSampling");
      session.disconnect();
      const cpu = `${prefix}.cpuprofile`;
      const heapFile = `${prefix}.heapprofile`;
      writeFileSync(cpu, JSON.stringify(profile));
      writeFileSync(heapFile, JSON.stringify(heap));
      return { cpu, heap: heapFile };
    },
  };
}
