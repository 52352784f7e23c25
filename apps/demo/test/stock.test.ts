import { describe, expect, it } from "vitest";
import { StockLedger } from "../src/data/stock.js";

describe("the stock ledger", () => {
  it("reserves all lines or none, and gives stock back on release", () => {
    const ledger = new StockLedger();
    expect(() => ledger.reserve("SO-1", [{ sku: "PMP-2000", qty: 2 }, { sku: "VLV-DN40", qty: 10 }])).toThrow(
      /not enough stock of VLV-DN40 \(wanted 10, available 3\)/,
    );
    expect(ledger.level("PMP-2000").available).toBe(14);
    const r = ledger.reserve("SO-2", [{ sku: "PMP-2000", qty: 2 }, { sku: "PMP-2000", qty: 3 }]);
    expect(r.lines).toEqual([{ sku: "PMP-2000", qty: 5 }]);
    expect(ledger.level("PMP-2000")).toEqual(expect.objectContaining({ onHand: 14, reserved: 5, available: 9 }));
    expect(ledger.release(r.reservationId)).toEqual(r);
    expect(ledger.release(r.reservationId)).toBeUndefined();
    expect(ledger.level("PMP-2000").available).toBe(14);
  });

  it("names the catalogue for an unknown SKU", () => {
    expect(() => new StockLedger().level("NOPE")).toThrow(/Unknown SKU "NOPE"; the catalogue has PMP-2000/);
  });
});
