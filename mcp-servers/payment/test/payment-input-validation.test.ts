import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectFailure } from "@switchyard/mcp-kit/testing";
import { seedPaymentIds } from "../src/index.js";
import { openPaymentTestContext, snapshot, validLink, type PaymentTestContext } from "./payment-test-context.js";

let context: PaymentTestContext;

beforeEach(async () => {
  context = await openPaymentTestContext();
});

afterEach(async () => {
  await context.close();
});

const link = { ...validLink, idempotency_key: "bad-input" };

describe("bad input is refused with a clear message and writes nothing", () => {
  const cases: { tool: string; name: string; args: Record<string, unknown>; message: RegExp }[] = [
    { tool: "create_payment_link", name: "zero amount", args: { ...link, amount: 0 }, message: /amount must be greater than 0 at amount/ },
    { tool: "create_payment_link", name: "negative amount", args: { ...link, amount: -5 }, message: /amount must be greater than 0 at amount/ },
    { tool: "create_payment_link", name: "three decimals", args: { ...link, amount: 10.005 }, message: /amount must have at most 2 decimal places at amount/ },
    { tool: "create_payment_link", name: "huge amount", args: { ...link, amount: 1_000_000.01 }, message: /amount must be at most 1000000 at amount/ },
    { tool: "create_payment_link", name: "amount as text", args: { ...link, amount: "100" }, message: /expected number.*at amount/ },
    { tool: "create_payment_link", name: "bad email", args: { ...link, customer_email: "jordan@" }, message: /customer_email must be a valid email address/ },
    { tool: "create_payment_link", name: "unknown currency", args: { ...link, currency: "XYZ" }, message: /expected one of "USD"\|"EUR"\|"GBP"\|"CAD".* at currency/ },
    { tool: "create_payment_link", name: "lower-case currency", args: { ...link, currency: "usd" }, message: /at currency/ },
    { tool: "create_payment_link", name: "missing email", args: { invoice_number: "RO-1", amount: 5 }, message: /customer_email is required at customer_email/ },
    { tool: "create_payment_link", name: "missing invoice number", args: { amount: 5, customer_email: "a@example.com" }, message: /at invoice_number/ },
    { tool: "create_payment_link", name: "missing amount", args: { invoice_number: "RO-1", customer_email: "a@example.com" }, message: /expected number, received undefined at amount/ },
    { tool: "create_payment_link", name: "zero expiry", args: { ...link, expires_in_hours: 0 }, message: /at expires_in_hours/ },
    { tool: "process_refund", name: "zero refund", args: { payment_id: seedPaymentIds.paid, amount: 0, reason_code: "other" }, message: /amount must be greater than 0/ },
    { tool: "process_refund", name: "negative refund", args: { payment_id: seedPaymentIds.paid, amount: -1, reason_code: "other" }, message: /amount must be greater than 0/ },
    { tool: "process_refund", name: "unknown reason", args: { payment_id: seedPaymentIds.paid, reason_code: "because" }, message: /expected one of "duplicate"\|"fraudulent"/ },
    { tool: "process_refund", name: "missing reason", args: { payment_id: seedPaymentIds.paid }, message: /at reason_code/ },
    { tool: "mark_payment_paid", name: "unknown method", args: { payment_id: seedPaymentIds.pending, method: "cash" }, message: /at method/ },
    { tool: "check_payment_status", name: "missing payment id", args: {}, message: /at payment_id/ },
    { tool: "list_payments", name: "unknown status", args: { status: "lost" }, message: /at status/ },
  ];

  for (const { tool, name, args, message } of cases) {
    it(`${tool}: ${name}`, async () => {
      const before = snapshot(context.database);
      const failure = await expectFailure(context.client, tool, args);
      expect(failure.message).toMatch(/Input validation error/);
      expect(failure.message).toMatch(message);
      expect(snapshot(context.database)).toEqual(before);
    });
  }

  it("reports an unknown payment id on every tool that takes one", async () => {
    const before = snapshot(context.database);
    for (const [tool, args] of [
      ["check_payment_status", {}],
      ["mark_payment_paid", {}],
      ["cancel_payment_link", {}],
      ["process_refund", { reason_code: "other" }],
      ["send_payment_notification", {}],
    ] as const) {
      const failure = await expectFailure(context.client, tool, { payment_id: "PAY-00000000", ...args });
      expect(failure.code, tool).toBe("UNKNOWN_PAYMENT");
      expect(failure.message).toMatch(/Unknown payment "PAY-00000000".*list_payments/);
    }
    expect(snapshot(context.database)).toEqual(before);
  });
});
