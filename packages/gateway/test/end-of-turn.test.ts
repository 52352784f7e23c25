// The requests of one event-loop turn are sent on together (their MQTT publishes leave in
// one write): every caller in the turn waits for the same moment, the check phase.
import { expect, test } from "vitest";
import { endOfTurn } from "../src/http/end-of-turn.js";

test("callers in one turn share one end of the turn; a later turn gets its own", async () => {
  const first = endOfTurn();
  const second = endOfTurn();
  expect(second).toBe(first);
  const order: string[] = [];
  setImmediate(() => order.push("immediate queued after the first caller"));
  await first;
  order.push("end of turn");
  expect(order).toEqual(["end of turn"]);
  const next = endOfTurn();
  expect(next).not.toBe(first);
  await next;
});
