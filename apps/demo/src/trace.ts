/**
 * The live trace of the demo: one line per thing that happens, with the time since
 * start and who talks to whom. Coloured on a terminal, plain otherwise.
 */

export type TraceKind = "step" | "call" | "answer" | "note" | "fail";

export interface TraceEntry {
  /** Milliseconds since the trace started. */
  atMs: number;
  kind: TraceKind;
  from: string;
  to?: string;
  text: string;
}

export interface TraceOptions {
  /** Where lines go. @default process.stdout */
  write?: (line: string) => void;
  /** ANSI colours. @default whether stdout is a TTY (and NO_COLOR is unset) */
  color?: boolean;
  /** Entries kept for the summary; older ones are dropped. @default 10000 */
  maxEntries?: number;
}

const RESET = "\x1b[0m";
const BOLD = "\x1b[1m";
const DIM = "\x1b[2m";
const RED = "\x1b[31m";
/** One colour per actor, so a conversation can be followed by eye. */
const ACTOR_COLOURS: Record<string, string> = {
  demo: "\x1b[37m",
  customer: "\x1b[36m",
  "back-office": "\x1b[96m",
  orchestrator: "\x1b[35m",
  inventory: "\x1b[32m",
  supplier: "\x1b[33m",
  logistics: "\x1b[34m",
  webhook: "\x1b[95m",
  broker: "\x1b[90m",
};
const ARROWS: Record<TraceKind, string> = { step: "", call: "→", answer: "⇢", note: "·", fail: "✗" };
const PAIR_WIDTH = 29;

export class Trace {
  readonly #write: (line: string) => void;
  readonly #color: boolean;
  readonly #maxEntries: number;
  readonly #started = performance.now();
  readonly entries: TraceEntry[] = [];

  constructor(options: TraceOptions = {}) {
    this.#write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.#color = options.color ?? (process.stdout.isTTY === true && process.env.NO_COLOR === undefined);
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  /** Milliseconds since the trace started. */
  elapsedMs(): number {
    return performance.now() - this.#started;
  }

  /** A heading: the start of one part of the scenario. */
  step(title: string): void {
    this.#add({ kind: "step", from: "demo", text: title });
  }

  /** `from` asks `to` for something (a request, a message, a POST). */
  call(from: string, to: string, text: string): void {
    this.#add({ kind: "call", from, to, text });
  }

  /** `from` answers `to`: a reply, a stream event, a push. */
  answer(from: string, to: string, text: string): void {
    this.#add({ kind: "answer", from, to, text });
  }

  /** Something `actor` did on its own. */
  note(actor: string, text: string): void {
    this.#add({ kind: "note", from: actor, text });
  }

  /** Something went wrong at `actor`. */
  fail(actor: string, text: string): void {
    this.#add({ kind: "fail", from: actor, text });
  }

  /** Writes a line as is (summary, help). */
  print(text = ""): void {
    this.#write(text);
  }

  /** `text` in bold when colours are on. */
  bold(text: string): string {
    return this.#color ? `${BOLD}${text}${RESET}` : text;
  }

  /** `text` in red (failure) or green (success) when colours are on. */
  status(ok: boolean, text: string): string {
    if (!this.#color) return text;
    return `${ok ? "\x1b[32m" : RED}${text}${RESET}`;
  }

  #add(entry: Omit<TraceEntry, "atMs">): void {
    const full: TraceEntry = { atMs: Math.round(this.elapsedMs()), ...entry };
    this.entries.push(full);
    if (this.entries.length > this.#maxEntries) this.entries.shift();
    this.#write(this.#format(full));
  }

  #format(e: TraceEntry): string {
    const time = `+${(e.atMs / 1000).toFixed(3)}s`.padStart(9);
    if (e.kind === "step") {
      const heading = `── ${e.text} `.padEnd(72, "─");
      return this.#color ? `\n${DIM}${time}${RESET}  ${BOLD}${heading}${RESET}` : `\n${time}  ${heading}`;
    }
    const arrow = ARROWS[e.kind];
    const plainPair = e.to === undefined ? `${e.from} ${arrow}` : `${e.from} ${arrow} ${e.to}`;
    const pad = " ".repeat(Math.max(1, PAIR_WIDTH - plainPair.length));
    if (!this.#color) return `${time}  ${plainPair}${pad}${e.text}`;
    const paint = (actor: string) => `${ACTOR_COLOURS[actor] ?? ""}${actor}${RESET}`;
    const pair = e.to === undefined ? `${paint(e.from)} ${arrow}` : `${paint(e.from)} ${arrow} ${paint(e.to)}`;
    const text = e.kind === "fail" ? `${RED}${e.text}${RESET}` : e.text;
    return `${DIM}${time}${RESET}  ${pair}${pad}${text}`;
  }
}
