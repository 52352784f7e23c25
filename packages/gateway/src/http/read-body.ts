import type { IncomingMessage } from "node:http";
import type { Context } from "hono";

/** The body was larger than the limit: answer 413. */
export class BodyTooLarge extends Error {
  override readonly name = "BodyTooLarge";
}

/**
 * The request body as text, at most `maxBytes`: a declared length over the limit is
 * refused before reading, a chunked body once it passes the limit. Read from the Node
 * request itself (no web stream per request), else through hono.
 */
export async function readBody(c: Context, maxBytes: number): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const early = incoming === undefined ? undefined : readEarlier.get(incoming);
  if (early !== undefined) {
    if (early instanceof Error) throw early;
    return early;
  }
  const declared = c.req.header("content-length");
  if (declared !== undefined && Number(declared) > maxBytes) throw new BodyTooLarge();
  if (incoming === undefined) {
    const text = await c.req.text();
    if (Buffer.byteLength(text) > maxBytes) throw new BodyTooLarge();
    return text;
  }
  return readIncoming(incoming, maxBytes);
}

/**
 * Bodies read before the request was handed to the hono application (by the JSON-RPC
 * fast path, which reads the body to learn the method), or why reading failed
 * (BodyTooLarge, an aborted request).
 */
const readEarlier = new WeakMap<IncomingMessage, string | Error>();

/** Keeps what was read of `incoming`'s body for `readBody`. */
export function keepReadBody(incoming: IncomingMessage, body: string | Error): void {
  readEarlier.set(incoming, body);
}

/** The body of a Node request as text, at most `maxBytes` (BodyTooLarge beyond). */
export function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<string> {
  // Events rather than `for await`: an async iterator per request (and the end-of-stream
  // watcher behind it) costs more than the body of a small request takes to read.
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        incoming.resume(); // drain the rest so the connection can answer
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8"));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onClose = (): void => {
      // Closed before the end of the body: the client went away.
      if (!incoming.complete) onError(new Error("The request was aborted before its body was read"));
    };
    const cleanup = (): void => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
      incoming.off("close", onClose);
    };
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onError);
    incoming.on("close", onClose);
  });
}
