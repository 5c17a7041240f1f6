import { eq } from "drizzle-orm";
import { DomainError } from "@switchyard/mcp-kit";
import type { PaymentDb } from "./database.js";
import { fromCents } from "./money.js";
import { payments, type PaymentStatus } from "./schema.js";

export type PaymentRow = typeof payments.$inferSelect;

/** Where customers pay; the token, not the payment id, identifies the link. */
export const PAYMENT_URL_BASE = "https://pay.switchyard.local/p/";

export interface PaymentView {
  payment_id: string;
  payment_url: string;
  status: PaymentStatus;
  invoice_number: string;
  amount: number;
  amount_refunded: number;
  /** What process_refund can still give back: zero unless the payment is paid or partially refunded. */
  amount_refundable: number;
  currency: string;
  customer_email: string;
  description: string | null;
  method: string | null;
  paid_at: string | null;
  expires_at: string;
  created_at: string;
  updated_at: string;
}

export function paymentUrl(row: PaymentRow): string {
  return `${PAYMENT_URL_BASE}${row.token}`;
}

/** The status a caller sees: an unpaid link past its expiry reads as expired. */
export function effectiveStatus(row: PaymentRow, now: Date): PaymentStatus {
  if (row.status === "pending" && row.expiresAt.getTime() <= now.getTime()) return "expired";
  return row.status;
}

export function isRefundable(status: PaymentStatus): boolean {
  return status === "paid" || status === "partially_refunded";
}

export function paymentView(row: PaymentRow, now: Date): PaymentView {
  const status = effectiveStatus(row, now);
  return {
    payment_id: row.id,
    payment_url: paymentUrl(row),
    status,
    invoice_number: row.invoiceNumber,
    amount: fromCents(row.amountCents),
    amount_refunded: fromCents(row.refundedCents),
    amount_refundable: isRefundable(status) ? fromCents(row.amountCents - row.refundedCents) : 0,
    currency: row.currency,
    customer_email: row.customerEmail,
    description: row.description,
    method: row.method,
    paid_at: row.paidAt?.toISOString() ?? null,
    expires_at: row.expiresAt.toISOString(),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function findPayment(db: PaymentDb, paymentId: string): PaymentRow | undefined {
  return db.select().from(payments).where(eq(payments.id, paymentId)).get();
}

export function requirePayment(db: PaymentDb, paymentId: string): PaymentRow {
  const row = findPayment(db, paymentId);
  if (!row) {
    throw new DomainError(
      "UNKNOWN_PAYMENT",
      `Unknown payment "${paymentId}". Payment ids look like PAY-1A2B3C4D; list_payments shows the existing ones.`,
      { payment_id: paymentId },
    );
  }
  return row;
}
