import type { StreamResponse } from "@a2a/schema";
import { isStreamEnd, newId, RESUME_EXTENSION_URI } from "@a2a/transport/binding";
import { A2AProtocolError } from "./errors.js";
import { PendingCall, connectionLost, invalidResult, tooManyCalls, type CallContext, type CallRequest, type RequestOptions } from "./pending-call.js";
import type { ReplyFrame } from "./pending-requests.js";
import { parseStreamResponse } from "./result-parsers.js";
import { tagStreamEvent, type StreamEvent } from "./stream-event.js";
import { StreamReader } from "./stream-reader.js";

/** A streamed call: its options may bound the pauses between events. */
export interface StreamRequest extends CallRequest {
  readonly options?:
    | (RequestOptions & { timeoutMs?: number | undefined; idleTimeoutMs?: number | undefined; frameBatches?: boolean | undefined })
    | undefined;
}

/**
 * One request whose replies are a stream of events ordered by `seq`, read as an async
 * iterable. When the connection comes back without its session mid-stream, the stream
 * resumes by itself with SubscribeToTask after the last task event taken (binding section
 * 5.1): every event once, in order.
 */
export class StreamCall extends PendingCall {
  readonly reader: StreamReader<StreamEvent>;
  readonly #idleTimeoutMs: number | undefined;
  /** The task the stream follows, once an event named it. */
  #taskId: string | undefined;

  constructor(request: StreamRequest, context: CallContext) {
    super(request, context);
    this.#idleTimeoutMs = request.options?.idleTimeoutMs;
    // The reader ends by itself on the final frame or when the consumer leaves.
    this.reader = new StreamReader<StreamEvent>({ onEnd: (error) => this.finish(error) });
  }

  deliver(frame: ReplyFrame): void {
    if (frame.error) return this.fail(A2AProtocolError.fromJsonRpc(frame.error));
    const parsed = parseStreamResponse(frame.result);
    if (!parsed.success) return this.fail(invalidResult(this.agent, this.method, parsed.error));
    const response = parsed.data as StreamResponse;
    const taskId = tagStreamEvent(response);
    const event = response as StreamEvent;
    if (this.span !== undefined && (event.kind === "task" || event.kind === "statusUpdate")) this.span.last = event;
    this.#taskId ??= taskId;
    // An agent that does not number its frames cannot mark the last one either: then the
    // event itself says whether the stream is over.
    if (frame.seq === undefined && isStreamEnd(response)) frame.final = true;
    this.reader.push(event, frame);
    if (this.reader.settled) return;
    if (this.#idleTimeoutMs !== undefined) this.arm(this.#idleTimeoutMs, "send its next event");
    else this.disarm();
  }

  override sessionLost(): void {
    // Before the first frame a repeat starts the stream afresh.
    if (!this.reader.received) return super.sessionLost();
    const after = this.reader.lastEventSeq;
    if (this.#taskId === undefined || after === undefined) {
      // The agent numbers no events: a repeat's frames, numbered from 0 again, could not
      // be told apart from those already seen.
      return this.fail(
        connectionLost(
          this.agent,
          this.method,
          " Continue with SubscribeToTask or GetTask (or give the client a stable clientId for a persistent session).",
        ),
      );
    }
    // The stream goes on as a new request: SubscribeToTask from the last event taken.
    const { pending } = this.context;
    pending.delete(this.id, this);
    this.reader.restart();
    this.id = newId();
    this.method = "SubscribeToTask";
    this.params = { id: this.#taskId, metadata: { [RESUME_EXTENSION_URI]: { afterEventSeq: after } } };
    if (!pending.add(this)) return this.fail(tooManyCalls());
    super.sessionLost();
  }

  protected settle(error: unknown): void {
    if (error === undefined) this.reader.close();
    else this.reader.fail(error);
  }
}
