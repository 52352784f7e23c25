/**
 * The products every agent of the demo talks about. Shared, read-only reference data:
 * the inventory keeps stock of these SKUs, suppliers quote them, logistics weighs them.
 */
export interface Product {
  sku: string;
  name: string;
  /** List price to customers, EUR per unit. */
  unitPrice: number;
  /** Shipping weight per unit, kg. */
  weightKg: number;
  /** A product that may replace this one, with the customer's consent. */
  substitute?: string;
}

export const CATALOGUE: readonly Product[] = [
  { sku: "PMP-2000", name: "Centrifugal pump 2 kW", unitPrice: 640, weightKg: 18.5 },
  { sku: "VLV-DN40", name: "Ball valve DN40, brass", unitPrice: 38, weightKg: 1.2, substitute: "VLV-DN40-SS" },
  { sku: "VLV-DN40-SS", name: "Ball valve DN40, stainless steel", unitPrice: 52, weightKg: 1.3 },
  { sku: "SNS-P10", name: "Pressure sensor 0-10 bar", unitPrice: 89, weightKg: 0.2 },
  { sku: "HSE-5M", name: "Reinforced hose kit, 5 m", unitPrice: 46, weightKg: 2.1 },
  { sku: "FLT-200", name: "Inline water filter 200 µm", unitPrice: 74, weightKg: 3.4 },
];

const BY_SKU = new Map(CATALOGUE.map((p) => [p.sku, p]));

/** The product with this SKU, or undefined. */
export function findProduct(sku: string): Product | undefined {
  return BY_SKU.get(sku);
}

/** The product with this SKU; throws a readable error for an unknown one. */
export function productOf(sku: string): Product {
  const product = BY_SKU.get(sku);
  if (product === undefined) {
    throw new Error(`Unknown SKU ${JSON.stringify(sku)}; the catalogue has ${CATALOGUE.map((p) => p.sku).join(", ")}`);
  }
  return product;
}
