let turn: Promise<void> | undefined;

/**
 * Resolves in the check phase of this turn of the event loop, at once for every request
 * that awaited it in the turn: their MQTT publishes are then all made in one callback,
 * which the transport sends in one write, instead of one write (and one wake-up of the
 * broker and the agent) per HTTP request. Nothing waits for a timer: the check phase
 * follows the turn's I/O.
 */
export function endOfTurn(): Promise<void> {
  return (turn ??= new Promise<void>((resolve) => {
    setImmediate(() => {
      turn = undefined;
      resolve();
    });
  }));
}
