import { createParser, type EventSourceMessage } from "eventsource-parser";

/** The events of a `text/event-stream` body, at most `maxEventBytes` each. */
export async function* sseEvents(body: ReadableStream<Uint8Array>, maxEventBytes: number): AsyncGenerator<EventSourceMessage> {
  const queue: EventSourceMessage[] = [];
  let failure: Error | undefined;
  const parser = createParser({
    maxBufferSize: maxEventBytes,
    onEvent: (event) => queue.push(event),
    onError: (error) => (failure = new Error(`The agent sent a malformed event stream: ${error.message}`)),
  });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
      if (failure !== undefined) throw failure;
      while (queue.length > 0) yield queue.shift()!;
    }
    parser.feed(decoder.decode());
    while (queue.length > 0) yield queue.shift()!;
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
