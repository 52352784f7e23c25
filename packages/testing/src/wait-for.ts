export interface WaitForOptions {
  /** @default 5000 */
  timeoutMs?: number;
  /** Says what was awaited, in the timeout error. @default "condition" */
  message?: string;
  /** How often a predicate is checked again. @default 5 */
  intervalMs?: number;
}

/**
 * Waits until `predicate` returns a truthy value (or a promise settles), failing with
 * a clear error after `timeoutMs`. The way tests synchronise on events, instead of
 * sleeping.
 * @returns the predicate's truthy value, or the promise's value.
 */
export async function waitFor<T>(
  condition: (() => T | Promise<T>) | PromiseLike<T>,
  options: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const what = options.message ?? "condition";
  let done = false;
  let lastError: unknown;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const reason = lastError instanceof Error ? ` Last error: ${lastError.message}` : "";
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.${reason}`, { cause: lastError }));
    }, timeoutMs);
  });
  const poll = async (): Promise<NonNullable<T>> => {
    if (typeof condition !== "function") return (await condition) as NonNullable<T>;
    while (!done) {
      try {
        const value = await condition();
        if (value) return value;
      } catch (error) {
        lastError = error;
      }
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 5));
    }
    return undefined as never;
  };
  try {
    return await Promise.race([poll(), timeout]);
  } finally {
    done = true;
    clearTimeout(timer);
  }
}
