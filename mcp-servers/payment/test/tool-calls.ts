import type { ToolCallCase } from "@switchyard/mcp-kit";

/** A run through every payment tool that succeeds on a freshly seeded database. */
export const toolCalls: ToolCallCase[] = [
  { tool: "get_payment_methods", args: { currency: "USD" } },
  {
    tool: "create_payment_link",
    args: {
      invoice_number: "1234",
      amount: 189.5,
      currency: "USD",
      customer_email: "jordan@example.com",
      description: "Brake pad replacement",
      idempotency_key: "tool-calls-payment-1",
    },
  },
  { tool: "check_payment_status", args: (p) => ({ payment_id: p.create_payment_link!.payment_id }) },
  { tool: "send_payment_notification", args: (p) => ({ payment_id: p.create_payment_link!.payment_id, channel: "email" }) },
  { tool: "mark_payment_paid", args: (p) => ({ payment_id: p.create_payment_link!.payment_id, method: "card" }) },
  {
    tool: "process_refund",
    args: (p) => ({ payment_id: p.create_payment_link!.payment_id, amount: 50, reason_code: "requested_by_customer", note: "goodwill" }),
  },
  { tool: "list_payments", args: { invoice_number: "1234" } },
  { tool: "cancel_payment_link", args: { payment_id: "PAY-5EED0002" } },
];
