import { randomBytes } from "node:crypto";
import { count } from "drizzle-orm";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import * as schema from "./schema.js";

const HOUR = 3_600_000;

/** The example payments of a fresh database: one paid (refundable) and one waiting to be paid. */
export const seedPaymentIds = { paid: "PAY-5EED0001", pending: "PAY-5EED0002" } as const;

/** Fills an empty payments table; a database that already has payments is left alone. */
export function seedPayments(db: BetterSQLite3Database<typeof schema>, now: Date = new Date()): void {
  db.transaction(
    (tx) => {
      const existing = tx.select({ n: count() }).from(schema.payments).get();
      if ((existing?.n ?? 0) > 0) return;
      const at = (hoursFromNow: number) => new Date(now.getTime() + hoursFromNow * HOUR);
      tx.insert(schema.payments)
        .values([
          {
            id: seedPaymentIds.paid,
            token: randomBytes(18).toString("base64url"),
            invoiceNumber: "INV-1001",
            amountCents: 24_999,
            currency: "USD",
            customerEmail: "pat.jones@example.com",
            description: "Laptop screen replacement",
            status: "paid",
            method: "card",
            expiresAt: at(24),
            paidAt: at(-24),
            createdAt: at(-48),
            updatedAt: at(-24),
          },
          {
            id: seedPaymentIds.pending,
            token: randomBytes(18).toString("base64url"),
            invoiceNumber: "INV-1002",
            amountCents: 8_950,
            currency: "USD",
            customerEmail: "sam.lee@example.com",
            description: "Keyboard and mouse bundle",
            status: "pending",
            expiresAt: at(72),
            createdAt: now,
            updatedAt: now,
          },
        ])
        .run();
    },
    { behavior: "immediate" },
  );
}
