import { A2AAgent } from "@a2a/agent";
import { z } from "zod";
import { CATALOGUE } from "../data/catalogue.js";
import { StockLedger } from "../data/stock.js";
import { pause } from "../pace.js";
import { agentBase, paced, type DemoAgentOptions } from "./common.js";

const Sku = z.enum(CATALOGUE.map((p) => p.sku) as [string, ...string[]]);
const Line = z.object({ sku: Sku, qty: z.number().int().positive().max(10_000) });

export const CheckStockInput = z.object({ skus: z.array(Sku).min(1).max(100) });
export const ReserveStockInput = z.object({ orderId: z.string().min(1).max(64), lines: z.array(Line).min(1).max(100) });
export const ReleaseReservationInput = z.object({ reservationId: z.string().min(1).max(64) });

export interface InventoryAgentOptions extends DemoAgentOptions {
  /** @default a ledger with the demo's opening stock */
  ledger?: StockLedger;
}

/**
 * The warehouse: stock levels per product, and reservations that hold goods for an
 * order until they ship (or the order is cancelled and they are released).
 */
export function createInventoryAgent(options: InventoryAgentOptions): { agent: A2AAgent; ledger: StockLedger } {
  const ledger = options.ledger ?? new StockLedger();
  const { trace } = options;
  const agent = new A2AAgent({
    ...agentBase("inventory", options),
    name: "Inventory",
    description: "Stock levels and reservations of the Malmö distribution centre.",
  });

  agent.skill({
    id: "check-stock",
    name: "Check stock",
    description: "Stock on hand, reserved and available for each SKU.",
    tags: ["inventory", "stock"],
    examples: ['{"skus":["PMP-2000","VLV-DN40"]}'],
    input: CheckStockInput,
    handler: async ({ skus }, ctx) => {
      await pause(paced(options, 40), ctx.signal);
      return { levels: skus.map((sku) => ledger.level(sku)) };
    },
  });

  agent.skill({
    id: "reserve-stock",
    name: "Reserve stock",
    description: "Holds goods for an order: all lines or none.",
    tags: ["inventory", "reservation"],
    input: ReserveStockInput,
    handler: async ({ orderId, lines }, ctx) => {
      await pause(paced(options, 60), ctx.signal);
      const reservation = ledger.reserve(orderId, lines);
      trace.note("inventory", `reserved ${reservation.reservationId} for ${orderId}: ${lines.map((l) => `${l.qty}× ${l.sku}`).join(", ")}`);
      return reservation;
    },
  });

  agent.skill({
    id: "release-reservation",
    name: "Release reservation",
    description: "Returns the goods of a reservation to available stock.",
    tags: ["inventory", "reservation"],
    input: ReleaseReservationInput,
    handler: async ({ reservationId }) => {
      const released = ledger.release(reservationId);
      trace.note("inventory", released === undefined ? `${reservationId} was already released` : `released ${reservationId}`);
      return { reservationId, released: released !== undefined };
    },
  });

  return { agent, ledger };
}
