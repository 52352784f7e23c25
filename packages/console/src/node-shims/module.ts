/**
 * node:module in the browser: there is no `require`, so the transport's reading of
 * packets without mqtt-packet's parser (which finds mqtt-packet through it) steps aside.
 */
export function createRequire(): never {
  throw new Error("require is not available in the browser");
}
