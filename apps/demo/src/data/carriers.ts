/** Carriers the logistics agent books, with their tariffs from the Malmö warehouse. */
export interface Carrier {
  id: string;
  name: string;
  service: string;
  /** Countries served. */
  countries: readonly string[];
  /** EUR: base price plus a price per kg. */
  basePrice: number;
  perKg: number;
  /** Working days in transit, by destination country. */
  transitDays: Readonly<Record<string, number>>;
}

export const CARRIERS: readonly Carrier[] = [
  {
    id: "northwind",
    name: "Northwind Freight",
    service: "road freight",
    countries: ["SE", "NO", "DK", "FI", "DE"],
    basePrice: 45,
    perKg: 0.9,
    transitDays: { SE: 2, NO: 3, DK: 2, FI: 4, DE: 3 },
  },
  {
    id: "bluebird",
    name: "Bluebird Express",
    service: "express parcel",
    countries: ["SE", "NO", "DK", "FI", "DE", "NL", "PL"],
    basePrice: 29,
    perKg: 2.4,
    transitDays: { SE: 1, NO: 1, DK: 1, FI: 2, DE: 2, NL: 2, PL: 2 },
  },
  {
    id: "harbour",
    name: "Harbour Parcel",
    service: "economy parcel",
    countries: ["SE", "DK", "DE", "NL", "PL"],
    basePrice: 18,
    perKg: 1.6,
    transitDays: { SE: 3, DK: 4, DE: 5, NL: 5, PL: 4 },
  },
];

/** The milestones a shipment goes through, in order; tracking streams one per step. */
export const MILESTONES: readonly string[] = [
  "label created",
  "picked up at Malmö DC",
  "departed sorting hub",
  "in transit",
  "arrived at destination hub",
  "out for delivery",
  "delivered",
];

export interface ShippingOption {
  carrier: string;
  carrierName: string;
  service: string;
  price: number;
  transitDays: number;
}

/** The options to ship `weightKg` to `country`, cheapest first. */
export function shippingOptions(country: string, weightKg: number): ShippingOption[] {
  return CARRIERS.flatMap((c) => {
    const days = c.transitDays[country];
    if (days === undefined) return [];
    return [
      {
        carrier: c.id,
        carrierName: c.name,
        service: c.service,
        price: Math.round((c.basePrice + c.perKg * weightKg) * 100) / 100,
        transitDays: days,
      },
    ];
  }).sort((a, b) => a.price - b.price);
}

/** The carrier with this id; throws a readable error for an unknown one. */
export function carrierOf(id: string): Carrier {
  const carrier = CARRIERS.find((c) => c.id === id);
  if (carrier === undefined) throw new Error(`Unknown carrier ${JSON.stringify(id)}; known: ${CARRIERS.map((c) => c.id).join(", ")}`);
  return carrier;
}
