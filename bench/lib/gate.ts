/**
 * Holds work until `count` tasks are waiting, then releases them all: the scale
 * workload uses it to have exactly N tasks in flight in the server at once.
 */
export class HoldGate {
  private target = 0;
  private waiting: Array<() => void> = [];

  /** From now on, hold tasks until `count` of them are waiting (0 = don't hold). */
  arm(count: number): void {
    this.target = count;
    this.releaseIfFull();
  }

  /** Resolves immediately when not armed; otherwise when the gate opens. */
  pass(): Promise<void> | undefined {
    if (this.target === 0) return undefined;
    const p = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.releaseIfFull();
    return p;
  }

  get held(): number {
    return this.waiting.length;
  }

  private releaseIfFull(): void {
    if (this.target === 0 || this.waiting.length < this.target) return;
    const release = this.waiting;
    this.waiting = [];
    this.target = 0;
    for (const resolve of release) resolve();
  }
}
