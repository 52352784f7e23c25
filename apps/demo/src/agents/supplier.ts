import { A2AAgent } from "@a2a/agent";
import { z } from "zod";
import { CATALOGUE } from "../data/catalogue.js";
import { VENDORS, quotesFor, vendorOf } from "../data/suppliers.js";
import { pause } from "../pace.js";
import { agentBase, paced, type DemoAgentOptions } from "./common.js";

const Sku = z.enum(CATALOGUE.map((p) => p.sku) as [string, ...string[]]);
const VendorId = z.enum(VENDORS.map((v) => v.id) as [string, ...string[]]);

export const RequestQuoteInput = z.object({ sku: Sku, qty: z.number().int().positive().max(100_000) });
export const PlacePurchaseOrderInput = z.object({
  sku: Sku,
  qty: z.number().int().positive().max(100_000),
  vendor: VendorId,
  /** Who asked, for the vendor's paperwork. */
  reference: z.string().min(1).max(64).optional(),
});

/**
 * The purchasing desk: quotes from the vendors it buys from (price and lead time), and
 * purchase orders, which take a while to be confirmed by the vendor.
 */
export function createSupplierAgent(options: DemoAgentOptions): A2AAgent {
  const { trace } = options;
  let nextPo = 4711;
  const agent = new A2AAgent({
    ...agentBase("supplier", options),
    name: "Supplier network",
    description: "Quotes and purchase orders with ACME's vendors in Sweden, Germany and Poland.",
    // Purchase orders take days in real life: callers ask to be called back on a webhook.
    pushNotifications: true,
    // The demo's webhook listens on 127.0.0.1; an agent in production keeps loopback
    // (and private networks) refused, against request forgery.
    push: { allowLoopback: true },
  });

  agent.skill({
    id: "request-quote",
    name: "Request quote",
    description: "Price and lead time of every vendor for a quantity of one SKU, fastest first.",
    tags: ["purchasing", "quote", "lead-time"],
    examples: ['{"sku":"HSE-5M","qty":4}'],
    input: RequestQuoteInput,
    handler: async ({ sku, qty }, ctx) => {
      await pause(paced(options, 80), ctx.signal);
      const quotes = quotesFor(sku, qty);
      if (quotes.length === 0) throw new Error(`No vendor sells ${sku}`);
      return { sku, qty, quotes };
    },
  });

  agent.skill({
    id: "place-purchase-order",
    name: "Place purchase order",
    description: "Orders goods from a vendor; progress is reported as the vendor confirms and schedules it.",
    tags: ["purchasing", "purchase-order"],
    input: PlacePurchaseOrderInput,
    handler: async ({ sku, qty, vendor, reference }, ctx) => {
      const v = vendorOf(vendor);
      const unitPrice = v.prices[sku];
      if (unitPrice === undefined) throw new Error(`${v.name} does not sell ${sku}`);
      if (qty < v.minQty) throw new Error(`${v.name} takes orders of at least ${v.minQty} units`);
      const poNumber = `PO-${nextPo++}`;
      await ctx.status("working", `${poNumber} sent to ${v.name}`);
      await pause(paced(options, 250), ctx.signal);
      await ctx.status("working", `${poNumber} acknowledged by ${v.name}`);
      await pause(paced(options, 250), ctx.signal);
      const dispatch = addWorkingDays(new Date(), v.leadTimeDays).toISOString().slice(0, 10);
      trace.note("supplier", `${poNumber} confirmed by ${v.name}: ${qty}× ${sku}, dispatch ${dispatch}`);
      return { poNumber, vendor: v.id, vendorName: v.name, sku, qty, unitPrice, total: Math.round(unitPrice * qty * 100) / 100, dispatch, reference };
    },
  });

  return agent;
}

function addWorkingDays(from: Date, days: number): Date {
  const d = new Date(from);
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const day = d.getUTCDay();
    if (day !== 0 && day !== 6) left--;
  }
  return d;
}
