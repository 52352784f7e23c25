/** "000Z" to "999Z": the milliseconds and the zone, the only part of a timestamp that changes within a second. */
const MILLIS_AND_ZONE = Array.from({ length: 1000 }, (_, ms) => `${String(ms).padStart(3, "0")}Z`);

let lastMs = Number.NaN;
let lastIso = "";
let secondStart = Number.NaN;
/** `YYYY-MM-DDTHH:MM:SS.` of the current second. */
let secondPrefix = "";

/**
 * The current time as an ISO 8601 string (as `Date.prototype.toISOString`). Tasks change
 * far more often than once a millisecond, and formatting a date costs a call into the
 * runtime: the date and time down to the second are formatted once a second, the
 * milliseconds looked up.
 */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    const millis = ms % 1000;
    const second = ms - millis;
    if (second !== secondStart) {
      secondStart = second;
      // Cut from the end: years past 9999 have a longer prefix.
      secondPrefix = new Date(second).toISOString().slice(0, -4);
    }
    lastIso = secondPrefix + MILLIS_AND_ZONE[millis]!;
  }
  return lastIso;
}
