import { productOf } from "./catalogue.js";

/** A vendor the supplier agent buys from, with its price list and lead times. */
export interface Vendor {
  id: string;
  name: string;
  country: string;
  /** EUR per unit, by SKU; a SKU not listed is not sold by this vendor. */
  prices: Readonly<Record<string, number>>;
  /** Working days from order to dispatch. */
  leadTimeDays: number;
  /** Smallest order line accepted. */
  minQty: number;
}

export const VENDORS: readonly Vendor[] = [
  {
    id: "nordform",
    name: "Nordform Industri AB",
    country: "SE",
    prices: { "PMP-2000": 452, "HSE-5M": 29, "FLT-200": 51 },
    leadTimeDays: 2,
    minQty: 1,
  },
  {
    id: "rhein-armaturen",
    name: "Rhein Armaturen GmbH",
    country: "DE",
    prices: { "VLV-DN40": 21, "VLV-DN40-SS": 33, "SNS-P10": 58, "HSE-5M": 24 },
    leadTimeDays: 5,
    minQty: 10,
  },
  {
    id: "baltic-fluid",
    name: "Baltic Fluid Systems",
    country: "PL",
    prices: { "PMP-2000": 431, "VLV-DN40": 19.5, "HSE-5M": 26.5, "FLT-200": 47 },
    leadTimeDays: 4,
    minQty: 5,
  },
];

export interface Quote {
  vendor: string;
  vendorName: string;
  sku: string;
  qty: number;
  unitPrice: number;
  total: number;
  leadTimeDays: number;
}

/** Every vendor's quote for `qty` of `sku` (the order line raised to each minimum), fastest first. */
export function quotesFor(sku: string, qty: number): Quote[] {
  productOf(sku);
  return VENDORS.flatMap((vendor) => {
    const unitPrice = vendor.prices[sku];
    if (unitPrice === undefined) return [];
    const orderQty = Math.max(qty, vendor.minQty);
    return [
      {
        vendor: vendor.id,
        vendorName: vendor.name,
        sku,
        qty: orderQty,
        unitPrice,
        total: round2(unitPrice * orderQty),
        leadTimeDays: vendor.leadTimeDays,
      },
    ];
  }).sort((a, b) => a.leadTimeDays - b.leadTimeDays || a.total - b.total);
}

/** The vendor with this id; throws a readable error for an unknown one. */
export function vendorOf(id: string): Vendor {
  const vendor = VENDORS.find((v) => v.id === id);
  if (vendor === undefined) throw new Error(`Unknown vendor ${JSON.stringify(id)}; known: ${VENDORS.map((v) => v.id).join(", ")}`);
  return vendor;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
