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
  const declared = c.req.header("content-length");
  if (declared !== undefined && Number(declared) > maxBytes) throw new BodyTooLarge();
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming === undefined) {
    const text = await c.req.text();
    if (Buffer.byteLength(text) > maxBytes) throw new BodyTooLarge();
    return text;
  }
  return readIncoming(incoming, maxBytes);
}

/** The body of a Node request as text, at most `maxBytes` (BodyTooLarge beyond). */
function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<string> {
  // Events rather than `for await`: an async iterator per request (and the end-of-stream
  // watcher behind it) costs more than the body of a small request takes to read. The
  // listeners stay until the request is gone and do nothing once the promise is settled:
  // removing four listeners per request costs more than leaving them.
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    incoming.on("data", (chunk: Buffer) => {
      if (settled) return; // past the limit: the rest is drained, so the connection can answer
      size += chunk.length;
      if (size > maxBytes) {
        settled = true;
        chunks.length = 0;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    incoming.on("end", () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8"));
    });
    incoming.on("error", (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    incoming.on("close", () => {
      // Closed before the end of the body: the client went away.
      if (settled || incoming.complete) return;
      settled = true;
      reject(new Error("The request was aborted before its body was read"));
    });
  });
}
