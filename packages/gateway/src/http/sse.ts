import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { RawReply } from "@a2a/client";
import { fromClientError, type GatewayError } from "./errors.js";

/** A comment line this often keeps idle proxies from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;

export interface RelayOptions {
  /** The SSE `data` of one frame. */
  frame: (reply: RawReply) => { data: string; event?: string };
  /** The SSE event of a failure once the stream is open (agent offline, timeout). */
  failure: (error: GatewayError) => { data: string; event?: string };
  /** The response when the stream fails before its first frame. */
  early: (error: GatewayError) => Response;
}

/**
 * Relays one MQTT stream as Server-Sent Events. The first frame is awaited before the
 * response starts, so a failure to reach the agent still gets a plain HTTP error. The
 * response ends when the MQTT stream ends; a client that disconnects ends only its own
 * stream (the reader stops listening; nothing is cancelled at the agent).
 */
export async function relaySse(c: Context, frames: AsyncIterable<RawReply>, o: RelayOptions): Promise<Response> {
  const it = frames[Symbol.asyncIterator]();
  let next: IteratorResult<RawReply>;
  try {
    next = await it.next();
  } catch (error) {
    return o.early(fromClientError(error));
  }
  return streamSSE(
    c,
    async (stream) => {
      stream.onAbort(() => void it.return?.());
      const keepAlive = setInterval(() => void stream.write(": keep-alive\n\n").catch(() => undefined), KEEP_ALIVE_MS);
      try {
        while (!next.done && !stream.aborted) {
          await stream.writeSSE(o.frame(next.value));
          next = await it.next();
        }
      } finally {
        clearInterval(keepAlive);
      }
    },
    async (error, stream) => {
      await it.return?.();
      if (!stream.aborted) await stream.writeSSE(o.failure(fromClientError(error)));
    },
  );
}
