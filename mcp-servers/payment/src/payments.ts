import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, lte, sql, type SQL } from "drizzle-orm";
import { DomainError, runIdempotent } from "@switchyard/mcp-kit";
import type { PaymentDb } from "./database.js";
import { toCents, type Currency } from "./money.js";
import { acceptedMethods, type PaymentMethod } from "./payment-methods.js";
import { effectiveStatus, findPayment, paymentView, requirePayment, type PaymentRow, type PaymentView } from "./payment-records.js";
import { listRefunds, type RefundView } from "./refunds.js";
import { payments, type PaymentStatus } from "./schema.js";
import { uniqueId } from "./unique-id.js";

const HOUR = 3_600_000;
const DEFAULT_LIST_LIMIT = 50;

export interface CreatePaymentLinkInput {
  invoice_number: string;
  amount: number;
  currency: Currency;
  customer_email: string;
  description?: string | undefined;
  expires_in_hours: number;
  idempotency_key?: string | undefined;
}

export interface PaymentDetails extends PaymentView {
  refunds: RefundView[];
}

export interface ListPaymentsFilter {
  status?: PaymentStatus | undefined;
  invoice_number?: string | undefined;
  limit?: number | undefined;
}

/** Creates a pending payment link for an invoice; it reads as expired after `expires_in_hours`. */
export function createPaymentLink(db: PaymentDb, input: CreatePaymentLinkInput, now: Date): PaymentView {
  return runIdempotent(db, "create_payment_link", input.idempotency_key, { ...input }, (tx) => {
    const id = uniqueId("PAY", (candidate) => findPayment(tx, candidate) !== undefined);
    tx.insert(payments)
      .values({
        id,
        token: randomBytes(18).toString("base64url"),
        invoiceNumber: input.invoice_number,
        amountCents: toCents(input.amount),
        currency: input.currency,
        customerEmail: input.customer_email,
        description: input.description ?? null,
        status: "pending",
        expiresAt: new Date(now.getTime() + input.expires_in_hours * HOUR),
        createdAt: now,
        updatedAt: now,
      })
      .run();
    return paymentView(requirePayment(tx, id), now);
  });
}

/** A payment's current status with every refund made against it. */
export function checkPaymentStatus(db: PaymentDb, paymentId: string, now: Date): PaymentDetails {
  const row = requirePayment(db, paymentId);
  return { ...paymentView(row, now), refunds: listRefunds(db, row) };
}

/** Payments newest first, filtered by status (expired included) and invoice. */
export function listPayments(db: PaymentDb, filter: ListPaymentsFilter, now: Date): PaymentView[] {
  const conditions: SQL[] = [];
  if (filter.invoice_number !== undefined) conditions.push(eq(payments.invoiceNumber, filter.invoice_number));
  if (filter.status === "expired") conditions.push(eq(payments.status, "pending"), lte(payments.expiresAt, now));
  else if (filter.status === "pending") conditions.push(eq(payments.status, "pending"), gt(payments.expiresAt, now));
  else if (filter.status !== undefined) conditions.push(eq(payments.status, filter.status));
  return db
    .select()
    .from(payments)
    .where(and(...conditions))
    // rowid breaks ties between payments created in the same millisecond.
    .orderBy(desc(payments.createdAt), desc(sql`rowid`))
    .limit(filter.limit ?? DEFAULT_LIST_LIMIT)
    .all()
    .map((row) => paymentView(row, now));
}

function unpayableError(row: PaymentRow, status: PaymentStatus): DomainError {
  if (status === "expired") {
    return new DomainError(
      "PAYMENT_LINK_EXPIRED",
      `Payment link ${row.id} expired at ${row.expiresAt.toISOString()} without being paid; create a new payment link with create_payment_link.`,
      { payment_id: row.id, status },
    );
  }
  return new DomainError(
    "PAYMENT_LINK_CANCELLED",
    `Payment link ${row.id} was cancelled and can no longer be paid; create a new payment link with create_payment_link.`,
    { payment_id: row.id, status },
  );
}

/**
 * Records that the customer paid, as the provider's webhook would. A repeated call for an
 * already paid payment changes nothing, since webhooks are delivered at least once.
 */
export function markPaymentPaid(
  db: PaymentDb,
  input: { payment_id: string; method: PaymentMethod },
  now: Date,
): PaymentView & { already_paid: boolean } {
  return db.transaction(
    (tx) => {
      const row = requirePayment(tx, input.payment_id);
      const status = effectiveStatus(row, now);
      if (status === "paid" || status === "partially_refunded" || status === "refunded") {
        return { ...paymentView(row, now), already_paid: true };
      }
      if (status !== "pending") throw unpayableError(row, status);
      const accepted = acceptedMethods[row.currency];
      if (!accepted.includes(input.method)) {
        throw new DomainError(
          "UNSUPPORTED_PAYMENT_METHOD",
          `Payment method ${input.method} is not accepted for ${row.currency}. Accepted for ${row.currency}: ${accepted.join(", ")}.`,
          { payment_id: row.id, method: input.method, currency: row.currency, accepted },
        );
      }
      tx.update(payments)
        .set({ status: "paid", method: input.method, paidAt: now, updatedAt: now })
        .where(and(eq(payments.id, row.id), eq(payments.status, "pending")))
        .run();
      return { ...paymentView(requirePayment(tx, row.id), now), already_paid: false };
    },
    { behavior: "immediate" },
  );
}

/** Cancels an unpaid link (expired ones included) so it can no longer be paid; cancelling twice is harmless. */
export function cancelPaymentLink(db: PaymentDb, paymentId: string, now: Date): PaymentView & { already_cancelled: boolean } {
  return db.transaction(
    (tx) => {
      const row = requirePayment(tx, paymentId);
      if (row.status === "cancelled") return { ...paymentView(row, now), already_cancelled: true };
      if (row.status !== "pending") {
        throw new DomainError(
          "PAYMENT_ALREADY_PAID",
          `Payment ${row.id} is ${row.status} and can no longer be cancelled; use process_refund to give money back.`,
          { payment_id: row.id, status: row.status },
        );
      }
      tx.update(payments)
        .set({ status: "cancelled", updatedAt: now })
        .where(and(eq(payments.id, row.id), eq(payments.status, "pending")))
        .run();
      return { ...paymentView(requirePayment(tx, row.id), now), already_cancelled: false };
    },
    { behavior: "immediate" },
  );
}
