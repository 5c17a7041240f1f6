import { eq } from "drizzle-orm";
import { DomainError, runIdempotent } from "@switchyard/mcp-kit";
import { z } from "zod";
import type { PaymentDb } from "./database.js";
import { formatMoney } from "./money.js";
import { effectiveStatus, paymentUrl, requirePayment, type PaymentRow } from "./payment-records.js";
import { notifications, type NotificationChannel, type PaymentStatus } from "./schema.js";
import { uniqueId } from "./unique-id.js";

export interface SendNotificationInput {
  payment_id: string;
  channel: NotificationChannel;
  /** Email address or E.164 phone number; email defaults to the payment's customer email. */
  recipient?: string | undefined;
  idempotency_key?: string | undefined;
}

export interface NotificationView {
  notification_id: string;
  /** Always `queued`: the row sits in the outbox; this server sends nothing itself. */
  status: "queued";
  payment_id: string;
  payment_status: PaymentStatus;
  channel: NotificationChannel;
  recipient: string;
  message: string;
  created_at: string;
}

const emailAddress = z.email();
const e164PhoneNumber = /^\+[1-9]\d{6,14}$/;

function resolveRecipient(payment: PaymentRow, channel: NotificationChannel, recipient: string | undefined): string {
  if (channel === "email") {
    const address = recipient ?? payment.customerEmail;
    if (!emailAddress.safeParse(address).success) {
      throw new DomainError("INVALID_RECIPIENT", `"${address}" is not a valid email address; pass a recipient like name@example.com, or omit it to use the payment's customer email.`, {
        channel,
        recipient: address,
      });
    }
    return address;
  }
  if (recipient === undefined) {
    throw new DomainError(
      "RECIPIENT_REQUIRED",
      `An sms notification needs a recipient phone number in E.164 form, e.g. +14155550123; payment ${payment.id} only has an email address (${payment.customerEmail}).`,
      { channel, payment_id: payment.id },
    );
  }
  if (!e164PhoneNumber.test(recipient)) {
    throw new DomainError("INVALID_RECIPIENT", `"${recipient}" is not a phone number in E.164 form; use a leading + and country code, e.g. +14155550123.`, {
      channel,
      recipient,
    });
  }
  return recipient;
}

function messageFor(payment: PaymentRow, status: PaymentStatus): string {
  const amount = formatMoney(payment.amountCents, payment.currency);
  const invoice = `invoice ${payment.invoiceNumber}`;
  switch (status) {
    case "pending": {
      const what = payment.description ? ` (${payment.description})` : "";
      return `Please pay ${amount} for ${invoice}${what}: ${paymentUrl(payment)} (the link expires ${payment.expiresAt.toISOString()}).`;
    }
    case "paid":
      return `Thank you: we received your payment of ${amount} for ${invoice}.`;
    case "partially_refunded":
      return `We refunded ${formatMoney(payment.refundedCents, payment.currency)} of your ${amount} payment for ${invoice}.`;
    case "refunded":
      return `Your payment of ${amount} for ${invoice} has been refunded in full.`;
    case "expired":
    case "cancelled":
      throw new DomainError(
        "NOTHING_TO_NOTIFY",
        `Payment ${payment.id} is ${status}, so the customer has nothing to pay; create a new link with create_payment_link and notify about that one.`,
        { payment_id: payment.id, status },
      );
  }
}

/**
 * Queues a notification about a payment in the outbox table: a payment request while it
 * is pending, a receipt once paid, a refund notice after a refund. Nothing is sent here.
 */
export function sendPaymentNotification(db: PaymentDb, input: SendNotificationInput, now: Date): NotificationView {
  return runIdempotent(db, "send_payment_notification", input.idempotency_key, { ...input }, (tx) => {
    const payment = requirePayment(tx, input.payment_id);
    const status = effectiveStatus(payment, now);
    const message = messageFor(payment, status);
    const recipient = resolveRecipient(payment, input.channel, input.recipient);
    const id = uniqueId("NTF", (candidate) => tx.select({ id: notifications.id }).from(notifications).where(eq(notifications.id, candidate)).get() !== undefined);
    tx.insert(notifications).values({ id, paymentId: payment.id, channel: input.channel, recipient, message, createdAt: now }).run();
    return {
      notification_id: id,
      status: "queued",
      payment_id: payment.id,
      payment_status: status,
      channel: input.channel,
      recipient,
      message,
      created_at: now.toISOString(),
    };
  });
}
