import { A2AAgent, type TaskContext } from "@a2a/agent";
import { A2AClient } from "@a2a/client";
import type { Message } from "@a2a/schema";
import { z } from "zod";
import { CATALOGUE, productOf } from "../data/catalogue.js";
import type { ShippingOption } from "../data/carriers.js";
import type { Reservation, StockLevel } from "../data/stock.js";
import type { Quote } from "../data/suppliers.js";
import { agentBase, type DemoAgentOptions } from "./common.js";
import { Delegate } from "./delegate.js";

const Sku = z.enum(CATALOGUE.map((p) => p.sku) as [string, ...string[]]);

export const FulfilOrderInput = z.object({
  orderId: z.string().min(1).max(64),
  customer: z.string().min(1).max(200),
  destination: z.object({ city: z.string().min(1).max(100), country: z.string().regex(/^[A-Z]{2}$/) }),
  lines: z.array(z.object({ sku: Sku, qty: z.number().int().positive().max(10_000) })).min(1).max(50),
});
export type Order = z.infer<typeof FulfilOrderInput>;

/** The skills the orchestrator needs, found at run time from the Agent Cards. */
export const NEEDED_SKILLS = [
  "check-stock",
  "reserve-stock",
  "release-reservation",
  "request-quote",
  "place-purchase-order",
  "quote-shipping",
  "book-shipment",
  "track-shipment",
] as const;

/** How one order line is served. */
export interface PlannedLine {
  sku: string;
  qty: number;
  source: "stock" | "substitute" | "backorder";
  /** The SKU ordered, when a substitute replaced it. */
  replaces?: string;
  /** The purchase order, for a backordered line. */
  poNumber?: string;
  dispatch?: string;
}

/** The artifact of a fulfilled order. */
export interface OrderConfirmation {
  orderId: string;
  customer: string;
  lines: PlannedLine[];
  reservationId: string;
  shipment: { shipmentId: string; carrier: string; price: number; delivered: boolean };
  goodsTotal: number;
}

/** The substitution question's data part; the answer is a data part `{ accept: boolean }` or text yes/no. */
export interface SubstitutionQuestion {
  question: "substitution";
  orderId: string;
  sku: string;
  qty: number;
  available: number;
  substitute: string;
}

/** The artifact published when tracking starts, so a watcher can follow the delegated task. */
export interface TrackingHandle {
  shipmentId: string;
  trackingTask: { agentId: string; taskId: string };
}

export interface OrchestratorOptions extends DemoAgentOptions {
  /** How long to wait for the customer's answer to a question. @default 60000 */
  answerTimeoutMs?: number;
}

/**
 * The order desk: an A2A agent with one skill, `fulfil-order`, that knows no other
 * agent in advance. It finds the inventory, supplier and logistics agents by skill
 * from their Agent Cards and fulfils the order by delegating tasks to them, asking the
 * customer when a product must be substituted, and undoing its work when cancelled.
 */
export function createOrchestratorAgent(options: OrchestratorOptions): { agent: A2AAgent; closeClient(): Promise<void> } {
  const { trace } = options;
  let client: A2AClient | undefined;
  // The orchestrator calls the other agents on its own agent's connection: one
  // connection per process (its replies come back on replies/{its client id}/...).
  const clientOf = (): A2AClient => {
    if (agent.transport === undefined) throw new Error("The orchestrator is not started");
    return (client ??= new A2AClient({ broker: agent.transport, timeoutMs: 10_000 }));
  };
  const agent = new A2AAgent({
    ...agentBase("orchestrator", options),
    name: "Order orchestrator",
    description: "Fulfils customer orders end to end by delegating to the inventory, supplier and logistics agents.",
  });

  agent.skill({
    id: "fulfil-order",
    name: "Fulfil order",
    description: "Reserves stock (offering substitutes), backorders shortfalls, books and tracks the shipment.",
    tags: ["orders", "orchestration"],
    examples: ['{"orderId":"SO-1001","customer":"Västkust VVS AB","destination":{"city":"Göteborg","country":"SE"},"lines":[{"sku":"PMP-2000","qty":2}]}'],
    input: FulfilOrderInput,
    handler: (order, ctx) => fulfil({ order, ctx, d: new Delegate({ client: clientOf(), trace, from: "orchestrator" }), options }),
  });

  return { agent, closeClient: async () => client?.close() };
}

/** One order being fulfilled: the order, its task, the delegate that calls the other agents. */
interface Fulfilment {
  order: Order;
  ctx: TaskContext;
  d: Delegate;
  options: OrchestratorOptions;
}

async function fulfil(job: Fulfilment): Promise<OrderConfirmation> {
  const { order, ctx, d, options } = job;
  const { signal } = ctx;
  // What has been done so far, to be undone if the order is cancelled.
  let reservation: Reservation | undefined;
  let tracking: { agentId: string; taskId: string } | undefined;
  try {
    await ctx.status("working", "finding agents by skill");
    await d.discover(NEEDED_SKILLS, signal);

    await ctx.status("working", "checking stock");
    const skus = [...new Set(order.lines.flatMap((l) => [l.sku, ...(productOf(l.sku).substitute ? [productOf(l.sku).substitute!] : [])]))];
    const stock = await d.ask<{ levels: StockLevel[] }>("check-stock", { skus }, {
      signal,
      say: skus.join(", "),
      tell: (data) => (data as { levels: StockLevel[] }).levels.map((l) => `${l.sku} ${l.available}`).join(", "),
    });
    const available = new Map(stock.data.levels.map((l) => [l.sku, l.available]));

    const planned: PlannedLine[] = [];
    for (const line of order.lines) planned.push(...(await planLine(job, line, available)));

    for (const line of planned.filter((l) => l.source === "backorder")) {
      await ctx.status("working", `backordering ${line.qty}× ${line.sku}`);
      const quotes = await d.ask<{ quotes: Quote[] }>("request-quote", { sku: line.sku, qty: line.qty }, {
        signal,
        say: `${line.qty}× ${line.sku}`,
        tell: (data) => (data as { quotes: Quote[] }).quotes.map((q) => `${q.vendor} €${q.unitPrice} ${q.leadTimeDays}d`).join(", "),
      });
      const best = quotes.data.quotes[0];
      if (best === undefined) throw new Error(`No vendor quoted ${line.sku}`);
      const po = await d.ask<{ poNumber: string; dispatch: string }>(
        "place-purchase-order",
        { sku: line.sku, qty: best.qty, vendor: best.vendor, reference: order.orderId },
        { signal, say: `${best.qty}× ${line.sku} from ${best.vendor}`, tell: (data) => `${(data as { poNumber: string }).poNumber}` },
      );
      line.poNumber = po.data.poNumber;
      line.dispatch = po.data.dispatch;
    }

    const fromStock = planned.filter((l) => l.source !== "backorder");
    await ctx.status("working", "reserving stock");
    reservation = (
      await d.ask<Reservation>("reserve-stock", { orderId: order.orderId, lines: fromStock.map(({ sku, qty }) => ({ sku, qty })) }, {
        signal,
        say: fromStock.map((l) => `${l.qty}× ${l.sku}`).join(", "),
        tell: (data) => (data as Reservation).reservationId,
      })
    ).data;

    await ctx.status("working", "booking transport");
    const weightKg = Math.round(fromStock.reduce((kg, l) => kg + productOf(l.sku).weightKg * l.qty, 0) * 10) / 10;
    const quotes = await d.ask<{ options: ShippingOption[] }>("quote-shipping", { destination: order.destination, weightKg }, {
      signal,
      say: `${weightKg} kg to ${order.destination.city}`,
      tell: (data) => (data as { options: ShippingOption[] }).options.map((o) => `${o.carrier} €${o.price} ${o.transitDays}d`).join(", "),
    });
    const option = quotes.data.options[0];
    if (option === undefined) throw new Error(`No carrier serves ${order.destination.country}`);
    const booking = await d.ask<{ shipmentId: string }>(
      "book-shipment",
      { orderId: order.orderId, carrier: option.carrier, destination: order.destination, weightKg },
      { signal, say: `${option.carrier} for ${order.orderId}`, tell: (data) => (data as { shipmentId: string }).shipmentId },
    );
    const { shipmentId } = booking.data;

    const tracked = await d.stream<{ delivered: boolean }>("track-shipment", { shipmentId }, {
      signal,
      say: shipmentId,
      onTask: async (task) => {
        tracking = task;
        const handle: TrackingHandle = { shipmentId, trackingTask: task };
        await ctx.artifact({ name: "tracking", data: handle });
      },
      // Each milestone of the delegated task becomes a progress event of this task.
      onStatus: (text) => ctx.status("working", text),
    });
    tracking = undefined;

    return {
      orderId: order.orderId,
      customer: order.customer,
      lines: planned,
      reservationId: reservation.reservationId,
      shipment: { shipmentId, carrier: option.carrier, price: option.price, delivered: tracked.data.delivered },
      goodsTotal: planned.reduce((sum, l) => sum + productOf(l.replaces ?? l.sku).unitPrice * l.qty, 0),
    };
  } catch (error) {
    if (signal.aborted) await undo(d, options.trace, { reservation, tracking });
    throw error;
  }
}

/** Serves one order line from stock, a substitute (if the customer agrees) or a backorder. */
async function planLine(
  { order, ctx, options }: Fulfilment,
  line: { sku: string; qty: number },
  available: Map<string, number>,
): Promise<PlannedLine[]> {
  const take = (sku: string, qty: number) => available.set(sku, (available.get(sku) ?? 0) - qty);
  const have = Math.max(0, available.get(line.sku) ?? 0);
  if (have >= line.qty) {
    take(line.sku, line.qty);
    return [{ ...line, source: "stock" }];
  }
  const product = productOf(line.sku);
  const substitute = product.substitute;
  if (substitute !== undefined && (available.get(substitute) ?? 0) >= line.qty) {
    const sub = productOf(substitute);
    const question: SubstitutionQuestion = { question: "substitution", orderId: order.orderId, sku: line.sku, qty: line.qty, available: have, substitute };
    const answer = await ctx.requestInput(
      [
        {
          text: `Only ${have} of ${line.qty}× ${product.name} (${line.sku}) in stock. Ship ${sub.name} (${substitute}) instead, at the same price? Answer yes or no.`,
        },
        { data: question },
      ],
      { timeoutMs: options.answerTimeoutMs ?? 60_000 },
    );
    if (accepted(answer)) {
      options.trace.note("orchestrator", `substitution accepted: ${line.qty}× ${substitute} for ${line.sku}`);
      take(substitute, line.qty);
      return [{ sku: substitute, qty: line.qty, source: "substitute", replaces: line.sku }];
    }
    options.trace.note("orchestrator", `substitution declined: backordering ${line.sku}`);
  }
  const out: PlannedLine[] = [];
  if (have > 0) {
    take(line.sku, have);
    out.push({ sku: line.sku, qty: have, source: "stock" });
  }
  out.push({ sku: line.sku, qty: line.qty - have, source: "backorder" });
  return out;
}

/** A yes: a data part `{ accept: true }`, or text starting with y/yes/ok. */
function accepted(answer: Message): boolean {
  for (const part of answer.parts) {
    if ("data" in part && typeof part.data === "object" && part.data !== null && "accept" in part.data) {
      return part.data.accept === true;
    }
  }
  const text = answer.parts.flatMap((p) => ("text" in p ? [p.text] : [])).join(" ").trim().toLowerCase();
  return /^(y|yes|ok|okay|sure)\b/.test(text);
}

/**
 * Undoes a cancelled order: gives the reserved goods back, then cancels the delegated
 * tracking task. The tracking task is cancelled last so that whoever watches it finds
 * the order fully undone once it shows canceled.
 */
async function undo(
  d: Delegate,
  trace: DemoAgentOptions["trace"],
  { reservation, tracking }: { reservation: Reservation | undefined; tracking: { agentId: string; taskId: string } | undefined },
): Promise<void> {
  const report = (what: string) => (error: unknown) =>
    trace.fail("orchestrator", `could not ${what}: ${error instanceof Error ? error.message : String(error)}`);
  trace.note("orchestrator", "order cancelled: undoing what was done");
  if (reservation !== undefined) {
    await d
      .ask("release-reservation", { reservationId: reservation.reservationId }, { say: reservation.reservationId })
      .catch(report(`release ${reservation.reservationId}`));
  }
  if (tracking !== undefined) await d.cancel(tracking).catch(report(`cancel tracking task ${tracking.taskId}`));
}
