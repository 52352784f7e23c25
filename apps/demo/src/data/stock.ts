import { productOf } from "./catalogue.js";

/** Stock of one SKU in the warehouse. */
export interface StockLevel {
  sku: string;
  name: string;
  warehouse: string;
  onHand: number;
  reserved: number;
  /** onHand - reserved: what a new order can take. */
  available: number;
  /** Below this many available units a restock is due. */
  reorderPoint: number;
}

export interface ReservationLine {
  sku: string;
  qty: number;
}

export interface Reservation {
  reservationId: string;
  orderId: string;
  lines: ReservationLine[];
}

/** Opening stock of the demo warehouse. VLV-DN40 runs short, HSE-5M almost out. */
export const INITIAL_STOCK: ReadonlyArray<{ sku: string; onHand: number; reorderPoint: number }> = [
  { sku: "PMP-2000", onHand: 14, reorderPoint: 4 },
  { sku: "VLV-DN40", onHand: 3, reorderPoint: 20 },
  { sku: "VLV-DN40-SS", onHand: 60, reorderPoint: 15 },
  { sku: "SNS-P10", onHand: 120, reorderPoint: 30 },
  { sku: "HSE-5M", onHand: 2, reorderPoint: 10 },
  { sku: "FLT-200", onHand: 25, reorderPoint: 8 },
];

const WAREHOUSE = "Malmö DC";
/** Reservations held at once; the oldest are dropped beyond it (a demo has few). */
const MAX_RESERVATIONS = 1000;

/**
 * The warehouse's stock and reservations, owned by the inventory agent. A reservation
 * takes all its lines or none, so an order never holds half its goods.
 */
export class StockLedger {
  readonly #onHand = new Map<string, number>();
  readonly #reorderPoint = new Map<string, number>();
  readonly #reservations = new Map<string, Reservation>();
  #next = 1;

  constructor(initial = INITIAL_STOCK) {
    for (const row of initial) {
      this.#onHand.set(row.sku, row.onHand);
      this.#reorderPoint.set(row.sku, row.reorderPoint);
    }
  }

  level(sku: string): StockLevel {
    const product = productOf(sku);
    const onHand = this.#onHand.get(sku) ?? 0;
    const reserved = this.#reservedOf(sku);
    return {
      sku,
      name: product.name,
      warehouse: WAREHOUSE,
      onHand,
      reserved,
      available: onHand - reserved,
      reorderPoint: this.#reorderPoint.get(sku) ?? 0,
    };
  }

  /** Reserves every line, or throws naming the lines that are short. */
  reserve(orderId: string, lines: ReservationLine[]): Reservation {
    const wanted = new Map<string, number>();
    for (const line of lines) wanted.set(line.sku, (wanted.get(line.sku) ?? 0) + line.qty);
    const short = [...wanted].flatMap(([sku, qty]) => {
      const available = this.level(sku).available;
      return available < qty ? [`${sku} (wanted ${qty}, available ${available})`] : [];
    });
    if (short.length > 0) throw new Error(`Cannot reserve order ${orderId}: not enough stock of ${short.join(", ")}`);
    const reservation: Reservation = {
      reservationId: `RSV-${String(this.#next++).padStart(5, "0")}`,
      orderId,
      lines: [...wanted].map(([sku, qty]) => ({ sku, qty })),
    };
    this.#reservations.set(reservation.reservationId, reservation);
    if (this.#reservations.size > MAX_RESERVATIONS) {
      this.#reservations.delete(this.#reservations.keys().next().value as string);
    }
    return reservation;
  }

  /** Releases a reservation; returns it, or undefined when it is unknown (already released). */
  release(reservationId: string): Reservation | undefined {
    const reservation = this.#reservations.get(reservationId);
    this.#reservations.delete(reservationId);
    return reservation;
  }

  /** Goods arrive (e.g. a purchase order is delivered). */
  receive(sku: string, qty: number): void {
    productOf(sku);
    this.#onHand.set(sku, (this.#onHand.get(sku) ?? 0) + qty);
  }

  #reservedOf(sku: string): number {
    let total = 0;
    for (const r of this.#reservations.values()) for (const line of r.lines) if (line.sku === sku) total += line.qty;
    return total;
  }
}
