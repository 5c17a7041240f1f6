import { join } from "node:path";
import { paymentSchema } from "@switchyard/payment-mcp";
import { repairOrdersSchema } from "@switchyard/repair-orders-mcp";
import Database from "better-sqlite3";
import { and, count, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";

/** What the automotive story leaves behind: part lines on the repair order and payment links for its invoice. */
export interface AutomotiveCounts {
  part_lines: number;
  payment_links: number;
}

/** Counts part lines of `partNumber` on repair order `repairOrderId` and payment links for invoice `repairOrderId`, read-only. */
export function automotiveCounts(dataDir: string, repairOrderId: string, partNumber: string): AutomotiveCounts {
  const repairs = new Database(join(dataDir, "repair-orders.db"), { readonly: true, fileMustExist: true });
  const payments = new Database(join(dataDir, "payment.db"), { readonly: true, fileMustExist: true });
  try {
    const lines = repairOrdersSchema.repairOrderParts;
    const links = paymentSchema.payments;
    return {
      part_lines:
        drizzle(repairs).select({ n: count() }).from(lines).where(and(eq(lines.repairOrderId, repairOrderId), eq(lines.partNumber, partNumber))).get()?.n ?? 0,
      payment_links: drizzle(payments).select({ n: count() }).from(links).where(eq(links.invoiceNumber, repairOrderId)).get()?.n ?? 0,
    };
  } finally {
    repairs.close();
    payments.close();
  }
}
