/**
 * The conformance suite's view of one A2A transport: send a JSON-RPC request, read the
 * reply or the frames of a stream. Rules are written against this interface only, so
 * the same rules run over every binding (MQTT 3.1.1, MQTT 5, HTTP): one adapter per
 * transport.
 */
export type JsonRpcId = string | number | null;

export interface RequestOptions {
  /** The `A2A-Version` service parameter; `null` sends none (an A2A 0.3 request). @default "1.0" */
  version?: string | null;
  /** The `A2A-Extensions` service parameter. */
  extensions?: string[];
  /** The JSON-RPC id. @default a fresh one */
  id?: JsonRpcId;
  /** How long to wait for the reply (or for a stream's last frame). @default 5000 */
  timeoutMs?: number;
  /** Streams: called with each frame as it arrives. */
  onFrame?: (frame: Reply) => void;
}

/** One JSON-RPC response as received, with the binding's frame members when present. */
export interface Reply {
  id: JsonRpcId;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
  /** Stream frames: position in the stream. */
  seq?: number;
  /** Stream frames: true on the last one. */
  final?: boolean;
  /** The whole response object as it arrived. */
  raw: Record<string, unknown>;
}

export interface AdapterFeatures {
  /** A service parameter can be sent twice (e.g. a repeated MQTT 5 user property). */
  repeatedServiceParams: boolean;
  /** Arbitrary payload text can be sent (not only well-formed requests). */
  rawPayloads: boolean;
  /** Stream frames carry the binding's `eventSeq` (resumable streams, binding section 5.1). */
  resumableStreams: boolean;
}

export interface ConformanceAdapter {
  /** e.g. "MQTT 3.1.1 on aedes". */
  readonly name: string;
  readonly features: AdapterFeatures;
  /** The agent's public Agent Card, as published. */
  card(): Promise<Record<string, unknown>>;
  /** A unary request; resolves with its reply. */
  call(method: string, params?: unknown, options?: RequestOptions): Promise<Reply>;
  /** A streaming request; resolves with its frames, in order, once the final one arrived. */
  stream(method: string, params?: unknown, options?: RequestOptions): Promise<Reply[]>;
  /**
   * A request whose service parameters are given as name/value pairs, a name possibly
   * repeated (only when `features.repeatedServiceParams`).
   */
  callWithParams(method: string, params: unknown, options: RequestOptions & { serviceParams: Array<[string, string]> }): Promise<Reply>;
  /** Sends `payload` as the request body as it is (only when `features.rawPayloads`); resolves with the reply. */
  sendRaw(payload: string, options?: RequestOptions): Promise<Reply>;
  close(): Promise<void>;
}

/** One MUST rule of the A2A v1.0 specification (or of the binding), checked over an adapter. */
export interface ConformanceRule {
  /** e.g. "CORE-SEND-002". */
  id: string;
  /** The specification section, e.g. "A2A 3.1.1" or "binding 5". */
  section: string;
  /** The rule, in the specification's words as far as possible. */
  text: string;
  /** When the rule needs a transport feature. */
  requires?: keyof AdapterFeatures;
  run(adapter: ConformanceAdapter): Promise<void>;
}
