import { FRAME_BATCH_EXTENSION_URI, HEADER_EXTENSIONS } from "./constants.js";
import type { ServiceParams } from "./request.js";

/**
 * Most frames one batch carries (section 5.2). A burst larger than this goes out as
 * several batches; the client reads any number, within its payload limit.
 */
export const MAX_BATCH_FRAMES = 64;
/** Most characters of frames one batch carries; a larger frame goes out alone. */
export const MAX_BATCH_CHARS = 64 * 1024;

/** True when the request activated frame batches for its stream (`A2A-Extensions`). */
export function wantsFrameBatches(params: ServiceParams): boolean {
  const listed = params[HEADER_EXTENSIONS];
  // The common case, no extension at all, without splitting anything.
  if (listed === undefined || !listed.includes(FRAME_BATCH_EXTENSION_URI)) return false;
  return listed.split(",").some((uri) => uri.trim() === FRAME_BATCH_EXTENSION_URI);
}

/** The payload of frames published together: one frame as it is, several as a JSON array. */
export function frameBatchPayload(frames: readonly string[]): string {
  return frames.length === 1 ? frames[0]! : `[${frames.join(",")}]`;
}
