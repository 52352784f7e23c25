/**
 * The Node globals the shared packages touch, for the browser. Imported first by the
 * entry so they exist before any module that reads them at load time.
 */
import { Buffer } from "buffer";

const g = globalThis as unknown as Record<string, unknown>;
g.Buffer ??= Buffer;
g.process ??= {
  env: {},
  nextTick: (fn: (...args: unknown[]) => void, ...args: unknown[]) => queueMicrotask(() => fn(...args)),
};
g.setImmediate ??= (fn: (...args: unknown[]) => void, ...args: unknown[]) => setTimeout(fn, 0, ...args);
