/**
 * Operations run before anything is measured, so every figure is of code in its steady
 * state (cold figures are measured on their own). Measured per 500 sequential calls,
 * bare mqtt.js reaches its steady p50 after ~1,500 calls and a2a-mqtt (more code for V8
 * to optimise) after ~3,500, so every contender gets 5,000; a stream is 13 messages, so
 * 1,000 streams warm up as much.
 */
export const WARM_UP = { sends: 5_000, streams: 1_000 } as const;
