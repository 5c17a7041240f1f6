import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import {
  additiveAnnotations,
  additiveIdempotentAnnotations,
  destructiveAnnotations,
  destructiveIdempotentAnnotations,
  idempotencyKeyInput,
  jsonResource,
  readOnlyAnnotations,
  runTool,
} from "@switchyard/mcp-kit";
import { z } from "zod";
import type { PaymentDatabase } from "./database.js";
import { MAX_AMOUNT, supportedCurrencies } from "./money.js";
import { sendPaymentNotification } from "./notifications.js";
import { getPaymentMethods, paymentMethods } from "./payment-methods.js";
import * as paymentLinks from "./payments.js";
import { processRefund } from "./refunds.js";
import { notificationChannels, paymentStatuses, refundReasonCodes } from "./schema.js";

export const PAYMENT_SERVER_VERSION = "0.1.0";

/** How many payments the list resources show; list_payments pages with its own limit. */
const RESOURCE_LIST_LIMIT = 100;

export interface PaymentServerOptions extends Pick<PaymentDatabase, "db"> {
  /** The clock that decides expiry and stamps records; tests pass a fixed one. */
  now?: () => Date;
}

const paymentId = z.string().trim().min(1).max(64).describe("Payment id returned by create_payment_link, e.g. PAY-1A2B3C4D");
const money = (what: string) =>
  z
    .number()
    .positive(`${what} must be greater than 0`)
    .max(MAX_AMOUNT, `${what} must be at most ${MAX_AMOUNT}`)
    .multipleOf(0.01, `${what} must have at most 2 decimal places`);
const currency = z.enum(supportedCurrencies).describe(`ISO 4217 currency code, one of ${supportedCurrencies.join(", ")}`);

const paymentShape = {
  payment_id: z.string(),
  payment_url: z.string(),
  status: z.enum(paymentStatuses),
  invoice_number: z.string(),
  amount: z.number(),
  amount_refunded: z.number(),
  amount_refundable: z.number(),
  currency: z.string(),
  customer_email: z.string(),
  description: z.string().nullable(),
  method: z.string().nullable(),
  paid_at: z.string().nullable(),
  expires_at: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
};
const refundShape = {
  refund_id: z.string(),
  payment_id: z.string(),
  amount: z.number(),
  currency: z.string(),
  reason_code: z.enum(refundReasonCodes),
  note: z.string().nullable(),
  created_at: z.string(),
};

/** Builds the payment MCP server over an open database; transports are attached by the caller. */
export function createPaymentServer({ db, now = () => new Date() }: PaymentServerOptions): McpServer {
  const server = new McpServer(
    { name: "switchyard-payment", version: PAYMENT_SERVER_VERSION },
    {
      instructions:
        "Payments for invoices and repair orders: create a payment link, notify the customer, check its status, and refund paid payments. Amounts are in major units with at most 2 decimals.",
    },
  );

  server.registerTool(
    "create_payment_link",
    {
      title: "Create payment link",
      description:
        "Create a payment link the customer can pay an invoice or repair order with. Returns payment_id, payment_url and status pending; the link reads as expired after expires_in_hours (default 72). Pass an idempotency_key so that a retry returns the same link.",
      inputSchema: {
        invoice_number: z.string().trim().min(1).max(100).describe("The invoice id or repair order id being paid, e.g. 1234"),
        amount: money("amount").describe(`Amount to collect in major units, e.g. 189.50; at most 2 decimals and ${MAX_AMOUNT}`),
        currency: currency.default("USD"),
        customer_email: z
          .email({
            error: (issue) => (issue.input === undefined ? "customer_email is required" : "customer_email must be a valid email address, e.g. name@example.com"),
          })
          .max(254).describe("Where the customer receives the link"),
        description: z.string().trim().min(1).max(500).optional().describe("What the payment is for, shown to the customer"),
        expires_in_hours: z.number().int().min(1).max(720).default(72).describe("Hours until the link expires (1 to 720, default 72)"),
        idempotency_key: idempotencyKeyInput,
      },
      outputSchema: paymentShape,
      annotations: additiveAnnotations,
    },
    (args) => runTool(() => ({ ...paymentLinks.createPaymentLink(db, args, now()) })),
  );

  server.registerTool(
    "check_payment_status",
    {
      title: "Check payment status",
      description:
        "Look up a payment: status (pending, paid, expired, refunded, partially_refunded, cancelled), amounts paid, refunded and still refundable, and every refund. An unpaid link past expires_at reads as expired.",
      inputSchema: { payment_id: paymentId },
      outputSchema: { ...paymentShape, refunds: z.array(z.object(refundShape)) },
      annotations: readOnlyAnnotations,
    },
    (args) => runTool(() => ({ ...paymentLinks.checkPaymentStatus(db, args.payment_id, now()) })),
  );

  server.registerTool(
    "process_refund",
    {
      title: "Process refund",
      description:
        "Refund a paid or partially_refunded payment, in full (omit amount: everything still refundable) or in part. Refunds never total more than the paid amount. A full refund makes the payment refunded, a partial one partially_refunded.",
      inputSchema: {
        payment_id: paymentId,
        amount: money("amount").optional().describe("Amount to refund in major units; omit to refund everything still refundable"),
        reason_code: z.enum(refundReasonCodes).describe("Why the money goes back"),
        note: z.string().trim().min(1).max(500).optional().describe("Free-text note kept with the refund"),
        idempotency_key: idempotencyKeyInput,
      },
      outputSchema: {
        ...refundShape,
        payment_status: z.enum(paymentStatuses),
        total_refunded: z.number(),
        remaining_refundable: z.number(),
      },
      annotations: destructiveAnnotations,
    },
    (args) => runTool(() => ({ ...processRefund(db, args, now()) })),
  );

  server.registerTool(
    "send_payment_notification",
    {
      title: "Send payment notification",
      description:
        "Queue a message to the customer about a payment: the payment request with its link while pending, a receipt once paid, a refund notice after a refund. The message is written to this server's outbox and returned with status queued; no email or SMS is actually sent by this server. Email goes to the payment's customer_email unless recipient is given; sms needs a recipient in E.164 form (+14155550123).",
      inputSchema: {
        payment_id: paymentId,
        channel: z.enum(notificationChannels).default("email").describe("email (default) or sms"),
        recipient: z.string().trim().min(1).max(254).optional().describe("Email address or E.164 phone number; defaults to the customer email"),
        idempotency_key: idempotencyKeyInput,
      },
      outputSchema: {
        notification_id: z.string(),
        status: z.literal("queued"),
        payment_id: z.string(),
        payment_status: z.enum(paymentStatuses),
        channel: z.enum(notificationChannels),
        recipient: z.string(),
        message: z.string(),
        created_at: z.string(),
      },
      annotations: additiveAnnotations,
    },
    (args) => runTool(() => ({ ...sendPaymentNotification(db, args, now()) })),
  );

  server.registerTool(
    "get_payment_methods",
    {
      title: "Get payment methods",
      description: `List the payment methods customers can use, per currency (${supportedCurrencies.join(", ")}), or for one currency.`,
      inputSchema: { currency: currency.optional() },
      outputSchema: {
        currencies: z.array(z.object({ currency: z.enum(supportedCurrencies), methods: z.array(z.enum(paymentMethods)) })),
      },
      annotations: readOnlyAnnotations,
    },
    (args) => runTool(() => ({ currencies: getPaymentMethods(args.currency) })),
  );

  server.registerTool(
    "mark_payment_paid",
    {
      title: "Mark payment paid",
      description:
        "Record that the customer paid a pending link, as the payment provider's webhook would (for testing and manual reconciliation). The method must be accepted for the payment's currency (see get_payment_methods). Marking an already paid payment changes nothing; expired or cancelled links cannot be paid.",
      inputSchema: {
        payment_id: paymentId,
        method: z.enum(paymentMethods).default("card").describe("How the customer paid (default card)"),
      },
      outputSchema: { ...paymentShape, already_paid: z.boolean() },
      annotations: additiveIdempotentAnnotations,
    },
    (args) => runTool(() => ({ ...paymentLinks.markPaymentPaid(db, args, now()) })),
  );

  server.registerTool(
    "cancel_payment_link",
    {
      title: "Cancel payment link",
      description:
        "Withdraw an unpaid (pending or expired) payment link so it can no longer be paid, e.g. to undo create_payment_link when a workflow fails. Paid payments cannot be cancelled; refund them with process_refund. Cancelling twice is harmless.",
      inputSchema: { payment_id: paymentId },
      outputSchema: { ...paymentShape, already_cancelled: z.boolean() },
      annotations: destructiveIdempotentAnnotations,
    },
    (args) => runTool(() => ({ ...paymentLinks.cancelPaymentLink(db, args.payment_id, now()) })),
  );

  server.registerTool(
    "list_payments",
    {
      title: "List payments",
      description: "List payments newest first, optionally only those with one status and/or for one invoice number.",
      inputSchema: {
        status: z.enum(paymentStatuses).optional().describe("Only payments with this status"),
        invoice_number: z.string().trim().min(1).max(100).optional().describe("Only payments for this invoice or repair order"),
        limit: z.number().int().min(1).max(500).optional().describe("At most this many payments (default 50)"),
      },
      outputSchema: { payments: z.array(z.object(paymentShape)) },
      annotations: readOnlyAnnotations,
    },
    (args) => runTool(() => ({ payments: paymentLinks.listPayments(db, args, now()) })),
  );

  server.registerResource(
    "payments",
    "payments://payments",
    { title: "Payments", description: `The ${RESOURCE_LIST_LIMIT} newest payments`, mimeType: "application/json" },
    (uri) => jsonResource(uri, paymentLinks.listPayments(db, { limit: RESOURCE_LIST_LIMIT }, now())),
  );

  server.registerResource(
    "payment",
    new ResourceTemplate("payments://payments/{payment_id}", {
      list: () => ({
        resources: paymentLinks.listPayments(db, { limit: RESOURCE_LIST_LIMIT }, now()).map((payment) => ({
          uri: `payments://payments/${payment.payment_id}`,
          name: `${payment.payment_id}: ${payment.amount.toFixed(2)} ${payment.currency} for ${payment.invoice_number} (${payment.status})`,
          mimeType: "application/json",
        })),
      }),
    }),
    { title: "Payment", description: "One payment with its refunds", mimeType: "application/json" },
    (uri, variables) => jsonResource(uri, paymentLinks.checkPaymentStatus(db, String(variables.payment_id), now())),
  );

  server.registerPrompt(
    "payment-link-email",
    {
      title: "Payment link email",
      description: "Draft an email that asks a customer to pay a payment link",
      argsSchema: {
        payment_id: z.string().describe("Payment id, e.g. PAY-1A2B3C4D"),
        tone: z.string().optional().describe("Tone of the email, e.g. friendly or formal"),
      },
    },
    ({ payment_id: requested, tone }) => ({
      messages: [
        {
          role: "user",
          content: {
            type: "text",
            text: `Call check_payment_status with payment_id "${requested}". If the payment is pending, draft a short, ${tone ?? "friendly"} email to its customer_email asking them to pay the amount and currency for the invoice number at the payment_url before expires_at, and list the accepted methods from get_payment_methods for that currency. If it is not pending, say what its status means instead of drafting the email. Do not queue anything: once I approve the draft, call send_payment_notification.`,
          },
        },
      ],
    }),
  );

  return server;
}
