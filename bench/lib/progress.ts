/**
 * Progress lines on stderr, so stdout carries only the result table. On a TTY the
 * current line is rewritten in place; elsewhere (CI logs) one line per step.
 */
const tty = process.stderr.isTTY === true;
let lastDraw = 0;
let lastBucket = "";

export function step(message: string): void {
  if (tty) process.stderr.write("\r\x1b[K");
  process.stderr.write(`• ${message}\n`);
}

/** Reports `done` of `total`; throttled to ~10 updates a second. */
export function tick(label: string, done: number, total: number): void {
  const now = Date.now();
  if (done !== total && now - lastDraw < 100) return;
  lastDraw = now;
  const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
  if (tty) process.stderr.write(`\r\x1b[K  ${label}: ${done}/${total} (${pct}%)`);
  else {
    // Without a TTY print at most one line per quarter, to keep logs short.
    const bucket = `${label}:${Math.floor(pct / 25)}`;
    if (bucket !== lastBucket) process.stderr.write(`  ${label}: ${done}/${total}\n`);
    lastBucket = bucket;
  }
  if (tty && done === total) process.stderr.write("\r\x1b[K");
}

export function warn(message: string): void {
  if (tty) process.stderr.write("\r\x1b[K");
  process.stderr.write(`! ${message}\n`);
}
