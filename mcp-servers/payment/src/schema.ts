import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { supportedCurrencies } from "./money.js";
import { paymentMethods } from "./payment-methods.js";
export { idempotencyKeys } from "@switchyard/mcp-kit";

/** Statuses kept in the database; `expired` is never stored but derived from `expires_at`. */
export const storedPaymentStatuses = ["pending", "paid", "partially_refunded", "refunded", "cancelled"] as const;
export type StoredPaymentStatus = (typeof storedPaymentStatuses)[number];

/** Statuses a caller can see. */
export const paymentStatuses = ["pending", "paid", "expired", "refunded", "partially_refunded", "cancelled"] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

export const refundReasonCodes = ["duplicate", "fraudulent", "requested_by_customer", "service_not_rendered", "other"] as const;
export type RefundReasonCode = (typeof refundReasonCodes)[number];

export const notificationChannels = ["email", "sms"] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

function sqlList(values: readonly string[]) {
  return sql.raw(values.map((value) => `'${value}'`).join(", "));
}

export const payments = sqliteTable(
  "payments",
  {
    id: text("id").primaryKey(),
    /** Secret part of the payment URL; unguessable, unlike the id. */
    token: text("token").notNull().unique(),
    invoiceNumber: text("invoice_number").notNull(),
    amountCents: integer("amount_cents").notNull(),
    refundedCents: integer("refunded_cents").notNull().default(0),
    currency: text("currency", { enum: supportedCurrencies }).notNull(),
    customerEmail: text("customer_email").notNull(),
    description: text("description"),
    status: text("status", { enum: storedPaymentStatuses }).notNull(),
    method: text("method", { enum: paymentMethods }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    paidAt: integer("paid_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    check("payments_amount_positive", sql`${table.amountCents} > 0`),
    // The database itself refuses refunds beyond the paid amount, whatever code path runs.
    check("payments_refunded_within_amount", sql`${table.refundedCents} >= 0 AND ${table.refundedCents} <= ${table.amountCents}`),
    check("payments_currency_supported", sql`${table.currency} IN (${sqlList(supportedCurrencies)})`),
    check("payments_status_known", sql`${table.status} IN (${sqlList(storedPaymentStatuses)})`),
    index("payments_invoice_number_idx").on(table.invoiceNumber),
    index("payments_status_idx").on(table.status),
  ],
);

export const refunds = sqliteTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    paymentId: text("payment_id")
      .notNull()
      .references(() => payments.id),
    amountCents: integer("amount_cents").notNull(),
    reasonCode: text("reason_code", { enum: refundReasonCodes }).notNull(),
    note: text("note"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    check("refunds_amount_positive", sql`${table.amountCents} > 0`),
    check("refunds_reason_code_known", sql`${table.reasonCode} IN (${sqlList(refundReasonCodes)})`),
    index("refunds_payment_id_idx").on(table.paymentId),
  ],
);

/** Outbox of customer notifications; a delivery worker would send and mark them, this server only queues. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    paymentId: text("payment_id")
      .notNull()
      .references(() => payments.id),
    channel: text("channel", { enum: notificationChannels }).notNull(),
    recipient: text("recipient").notNull(),
    message: text("message").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    check("notifications_channel_known", sql`${table.channel} IN (${sqlList(notificationChannels)})`),
    index("notifications_payment_id_idx").on(table.paymentId),
  ],
);
