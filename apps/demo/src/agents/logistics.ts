import { A2AAgent } from "@a2a/agent";
import { z } from "zod";
import { CARRIERS, MILESTONES, carrierOf, shippingOptions } from "../data/carriers.js";
import { pause } from "../pace.js";
import { agentBase, paced, type DemoAgentOptions } from "./common.js";

const Country = z.string().regex(/^[A-Z]{2}$/, "an ISO 3166 country code such as SE");
const Destination = z.object({ city: z.string().min(1).max(100), country: Country });
const CarrierId = z.enum(CARRIERS.map((c) => c.id) as [string, ...string[]]);

export const QuoteShippingInput = z.object({ destination: Destination, weightKg: z.number().positive().max(20_000) });
export const BookShipmentInput = z.object({
  orderId: z.string().min(1).max(64),
  carrier: CarrierId,
  destination: Destination,
  weightKg: z.number().positive().max(20_000),
});
export const TrackShipmentInput = z.object({ shipmentId: z.string().min(1).max(64) });

interface Shipment {
  shipmentId: string;
  orderId: string;
  carrier: string;
  destination: z.infer<typeof Destination>;
  weightKg: number;
}

/** Shipments remembered for tracking; the oldest are forgotten beyond it. */
const MAX_SHIPMENTS = 1000;

/**
 * Transport: shipping options and prices per carrier, bookings, and tracking that
 * streams each milestone of a shipment as it happens.
 */
export function createLogisticsAgent(options: DemoAgentOptions): A2AAgent {
  const { trace } = options;
  const shipments = new Map<string, Shipment>();
  let next = 880_100;
  const agent = new A2AAgent({
    ...agentBase("logistics", options),
    name: "Logistics",
    description: "Carrier quotes, bookings and live shipment tracking from the Malmö distribution centre.",
    // One tenant: the customer follows the tracking task the orchestrator delegated here
    // (created under the orchestrator's client id). An agent serving several tenants
    // keeps scoping on, and each sees only its own tasks.
    scopeTasks: false,
  });

  agent.skill({
    id: "quote-shipping",
    name: "Quote shipping",
    description: "Carriers, prices and transit times for a consignment, cheapest first.",
    tags: ["logistics", "shipping", "quote"],
    examples: ['{"destination":{"city":"Göteborg","country":"SE"},"weightKg":52}'],
    input: QuoteShippingInput,
    handler: async ({ destination, weightKg }, ctx) => {
      await pause(paced(options, 50), ctx.signal);
      const found = shippingOptions(destination.country, weightKg);
      if (found.length === 0) throw new Error(`No carrier serves ${destination.country}`);
      return { destination, weightKg, options: found };
    },
  });

  agent.skill({
    id: "book-shipment",
    name: "Book shipment",
    description: "Books a carrier for an order and returns the shipment id to track.",
    tags: ["logistics", "shipping", "booking"],
    input: BookShipmentInput,
    handler: async (input, ctx) => {
      const carrier = carrierOf(input.carrier);
      if (carrier.transitDays[input.destination.country] === undefined) {
        throw new Error(`${carrier.name} does not serve ${input.destination.country}`);
      }
      await pause(paced(options, 60), ctx.signal);
      const shipment: Shipment = { ...input, shipmentId: `SHP-${next++}` };
      shipments.set(shipment.shipmentId, shipment);
      if (shipments.size > MAX_SHIPMENTS) shipments.delete(shipments.keys().next().value as string);
      trace.note("logistics", `booked ${shipment.shipmentId} with ${carrier.name} for ${input.orderId}`);
      return { shipmentId: shipment.shipmentId, carrier: carrier.id, carrierName: carrier.name };
    },
  });

  agent.skill({
    id: "track-shipment",
    name: "Track shipment",
    description: "Streams the milestones of a shipment until it is delivered.",
    tags: ["logistics", "tracking", "streaming"],
    input: TrackShipmentInput,
    handler: async ({ shipmentId }, ctx) => {
      const shipment = shipments.get(shipmentId);
      if (shipment === undefined) throw new Error(`Unknown shipment ${shipmentId}; book it first (book-shipment)`);
      const history: { milestone: string; at: string }[] = [];
      for (const milestone of MILESTONES) {
        // The signal aborts when the tracking task is cancelled: the loop stops here.
        await pause(paced(options, 110), ctx.signal);
        const where = milestone === "delivered" ? `${milestone} in ${shipment.destination.city}` : milestone;
        history.push({ milestone: where, at: new Date().toISOString() });
        await ctx.status("working", `${shipmentId}: ${where}`);
      }
      return { shipmentId, orderId: shipment.orderId, delivered: true, history };
    },
  });

  return agent;
}
