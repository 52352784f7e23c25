/** A minimal typed event emitter: listeners are isolated from each other's failures. */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  /** @param onListenerError where a throwing listener is reported (default: stderr) */
  constructor(private readonly onListenerError?: (event: string, error: unknown) => void) {}

  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Calls every listener; returns false when there was none. */
  emit<E extends keyof Events>(event: E, payload: Events[E]): boolean {
    const set = this.listeners.get(event);
    if (!set || set.size === 0) return false;
    for (const listener of [...set]) {
      try {
        (listener as (payload: Events[E]) => void)(payload);
      } catch (error) {
        // A throwing listener must neither stop the transport nor crash the process.
        if (this.onListenerError !== undefined) this.onListenerError(String(event), error);
        else console.error(`A listener of the "${String(event)}" event threw:`, error);
      }
    }
    return true;
  }
}
