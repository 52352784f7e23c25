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
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      incoming.resume(); // drain the rest so the connection can answer
      throw new BodyTooLarge();
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8");
}
