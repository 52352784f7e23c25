import { A2AProtocolError } from "./errors.js";
import { PendingCall, invalidResult, type CallContext, type CallRequest } from "./pending-call.js";
import type { ReplyFrame } from "./pending-requests.js";
import type { Parse } from "./result-parsers.js";

/** A unary call: the request its result is checked with. */
export interface UnaryRequest extends CallRequest {
  readonly parse: Parse;
}

/** One request waiting for its one reply, settled as one promise. */
export class UnaryCall extends PendingCall {
  readonly promise: Promise<unknown>;
  readonly #parse: Parse;
  #resolve!: (value: unknown) => void;
  #reject!: (error: unknown) => void;

  constructor(request: UnaryRequest, context: CallContext) {
    super(request, context);
    this.#parse = request.parse;
    this.promise = new Promise<unknown>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  deliver(frame: ReplyFrame): void {
    if (frame.error) return this.finish(A2AProtocolError.fromJsonRpc(frame.error));
    const parsed = this.#parse(frame.result);
    if (!parsed.success) return this.finish(invalidResult(this.agent, this.method, parsed.error));
    this.finish(undefined, parsed.data);
  }

  protected settle(error: unknown, value: unknown): void {
    if (error === undefined) this.#resolve(value);
    else this.#reject(error);
  }
}
