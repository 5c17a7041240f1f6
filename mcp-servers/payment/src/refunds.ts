import { and, asc, eq } from "drizzle-orm";
import { DomainError, runIdempotent } from "@switchyard/mcp-kit";
import type { PaymentDb } from "./database.js";
import { formatMoney, fromCents, toCents } from "./money.js";
import { effectiveStatus, isRefundable, requirePayment, type PaymentRow } from "./payment-records.js";
import { payments, refunds, type PaymentStatus, type RefundReasonCode } from "./schema.js";
import { uniqueId } from "./unique-id.js";

export interface RefundView {
  refund_id: string;
  payment_id: string;
  amount: number;
  currency: string;
  reason_code: RefundReasonCode;
  note: string | null;
  created_at: string;
}

export interface ProcessRefundInput {
  payment_id: string;
  /** Omitted: refund everything that is still refundable. */
  amount?: number | undefined;
  reason_code: RefundReasonCode;
  note?: string | undefined;
  idempotency_key?: string | undefined;
}

export interface RefundResult extends RefundView {
  payment_status: PaymentStatus;
  total_refunded: number;
  remaining_refundable: number;
}

type RefundRow = typeof refunds.$inferSelect;

function refundView(row: RefundRow, currency: string): RefundView {
  return {
    refund_id: row.id,
    payment_id: row.paymentId,
    amount: fromCents(row.amountCents),
    currency,
    reason_code: row.reasonCode,
    note: row.note,
    created_at: row.createdAt.toISOString(),
  };
}

const notRefundableHints: Partial<Record<PaymentStatus, (payment: PaymentRow) => string>> = {
  pending: () => "It has not been paid yet: wait for the payment, or withdraw the link with cancel_payment_link.",
  expired: () => "Its link expired unpaid, so there is nothing to refund.",
  cancelled: () => "Its link was cancelled unpaid, so there is nothing to refund.",
  refunded: (payment) => `Its full amount of ${formatMoney(payment.amountCents, payment.currency)} has already been refunded.`,
};

function notRefundableError(payment: PaymentRow, status: PaymentStatus): DomainError {
  const hint = notRefundableHints[status]?.(payment) ?? "";
  return new DomainError(
    "PAYMENT_NOT_REFUNDABLE",
    `Payment ${payment.id} is ${status}; only paid or partially_refunded payments can be refunded. ${hint}`.trim(),
    { payment_id: payment.id, status },
  );
}

/** Refunds made against one payment, oldest first. */
export function listRefunds(db: PaymentDb, payment: PaymentRow): RefundView[] {
  return db
    .select()
    .from(refunds)
    .where(eq(refunds.paymentId, payment.id))
    .orderBy(asc(refunds.createdAt), asc(refunds.id))
    .all()
    .map((row) => refundView(row, payment.currency));
}

/**
 * Refunds part or all of a paid payment. The total refunded never exceeds the paid
 * amount: the check and the update run in one IMMEDIATE transaction, the update only
 * matches the balance that was checked, and a CHECK constraint backs both.
 */
export function processRefund(db: PaymentDb, input: ProcessRefundInput, now: Date): RefundResult {
  return runIdempotent(db, "process_refund", input.idempotency_key, { ...input }, (tx) => {
    const payment = requirePayment(tx, input.payment_id);
    const status = effectiveStatus(payment, now);
    if (!isRefundable(status)) throw notRefundableError(payment, status);
    const remaining = payment.amountCents - payment.refundedCents;
    const cents = input.amount === undefined ? remaining : toCents(input.amount);
    if (cents > remaining) {
      throw new DomainError(
        "REFUND_EXCEEDS_REFUNDABLE",
        `A refund of ${formatMoney(cents, payment.currency)} exceeds what is left to refund on ${payment.id}: ${formatMoney(remaining, payment.currency)} (paid ${formatMoney(payment.amountCents, payment.currency)}, already refunded ${formatMoney(payment.refundedCents, payment.currency)}). Refund at most ${formatMoney(remaining, payment.currency)}.`,
        {
          payment_id: payment.id,
          requested: fromCents(cents),
          refundable: fromCents(remaining),
          paid: fromCents(payment.amountCents),
          refunded: fromCents(payment.refundedCents),
        },
      );
    }
    const refundedAfter = payment.refundedCents + cents;
    const statusAfter = refundedAfter === payment.amountCents ? "refunded" : "partially_refunded";
    const update = tx
      .update(payments)
      .set({ refundedCents: refundedAfter, status: statusAfter, updatedAt: now })
      .where(and(eq(payments.id, payment.id), eq(payments.refundedCents, payment.refundedCents), eq(payments.status, payment.status)))
      .run();
    if (update.changes !== 1) throw new Error(`Payment ${payment.id} changed while its refund was being recorded`);
    const id = uniqueId("REF", (candidate) => tx.select({ id: refunds.id }).from(refunds).where(eq(refunds.id, candidate)).get() !== undefined);
    const row: RefundRow = { id, paymentId: payment.id, amountCents: cents, reasonCode: input.reason_code, note: input.note ?? null, createdAt: now };
    tx.insert(refunds).values(row).run();
    return {
      ...refundView(row, payment.currency),
      payment_status: statusAfter,
      total_refunded: fromCents(refundedAfter),
      remaining_refundable: fromCents(payment.amountCents - refundedAfter),
    };
  });
}
