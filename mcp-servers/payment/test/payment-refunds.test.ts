import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callTool, expectFailure, expectSuccess } from "@switchyard/mcp-kit/testing";
import { seedPaymentIds } from "../src/index.js";
import { openPaymentTestContext, paidPayment, snapshot, validLink, type PaymentTestContext } from "./payment-test-context.js";

let context: PaymentTestContext;

beforeEach(async () => {
  context = await openPaymentTestContext();
});

afterEach(async () => {
  await context.close();
});

function paymentRow(paymentId: string) {
  return snapshot(context.database).payments.find((payment) => payment.id === paymentId)!;
}

describe("process_refund", () => {
  it("refunds in parts until the payment is fully refunded", async () => {
    const paymentId = await paidPayment(context.client, 100);
    const partial = await expectSuccess(context.client, "process_refund", { payment_id: paymentId, amount: 30.25, reason_code: "service_not_rendered", note: "one wiper missing" });
    expect(partial.refund_id).toMatch(/^REF-[0-9A-F]{8}$/);
    expect(partial).toMatchObject({ amount: 30.25, currency: "USD", payment_status: "partially_refunded", total_refunded: 30.25, remaining_refundable: 69.75 });

    const rest = await expectSuccess(context.client, "process_refund", { payment_id: paymentId, reason_code: "requested_by_customer" });
    expect(rest).toMatchObject({ amount: 69.75, payment_status: "refunded", total_refunded: 100, remaining_refundable: 0 });

    const status = await expectSuccess(context.client, "check_payment_status", { payment_id: paymentId });
    expect(status).toMatchObject({ status: "refunded", amount_refunded: 100, amount_refundable: 0 });
    expect(status.refunds.map((refund: { amount: number; reason_code: string; note: string | null }) => [refund.amount, refund.reason_code, refund.note])).toEqual([
      [30.25, "service_not_rendered", "one wiper missing"],
      [69.75, "requested_by_customer", null],
    ]);
    expect(paymentRow(paymentId)).toMatchObject({ refundedCents: 10_000, amountCents: 10_000, status: "refunded" });
  });

  it("refunds the whole amount when no amount is given", async () => {
    const refund = await expectSuccess(context.client, "process_refund", { payment_id: seedPaymentIds.paid, reason_code: "duplicate" });
    expect(refund).toMatchObject({ amount: 249.99, payment_status: "refunded", remaining_refundable: 0 });
  });

  it("refuses a refund above what is left and changes nothing", async () => {
    const paymentId = await paidPayment(context.client, 100);
    await expectSuccess(context.client, "process_refund", { payment_id: paymentId, amount: 80, reason_code: "other" });
    const before = snapshot(context.database);
    const failure = await expectFailure(context.client, "process_refund", { payment_id: paymentId, amount: 20.01, reason_code: "other" });
    expect(failure.code).toBe("REFUND_EXCEEDS_REFUNDABLE");
    expect(failure.message).toBe(
      `A refund of 20.01 USD exceeds what is left to refund on ${paymentId}: 20.00 USD (paid 100.00 USD, already refunded 80.00 USD). Refund at most 20.00 USD.`,
    );
    expect(snapshot(context.database)).toEqual(before);
  });

  it("only refunds paid or partially refunded payments, saying why", async () => {
    const pending = await expectSuccess(context.client, "create_payment_link", validLink);
    const fullyRefunded = await paidPayment(context.client, 10);
    await expectSuccess(context.client, "process_refund", { payment_id: fullyRefunded, reason_code: "other" });
    const cancelled = await expectSuccess(context.client, "create_payment_link", validLink);
    await expectSuccess(context.client, "cancel_payment_link", { payment_id: cancelled.payment_id });

    const before = snapshot(context.database);
    const notPaid = await expectFailure(context.client, "process_refund", { payment_id: pending.payment_id, amount: 1, reason_code: "other" });
    expect(notPaid.code).toBe("PAYMENT_NOT_REFUNDABLE");
    expect(notPaid.message).toMatch(/is pending; only paid or partially_refunded payments can be refunded\. It has not been paid yet/);
    const again = await expectFailure(context.client, "process_refund", { payment_id: fullyRefunded, reason_code: "other" });
    expect(again.message).toMatch(/is refunded;.*full amount of 10\.00 USD has already been refunded/);
    const wasCancelled = await expectFailure(context.client, "process_refund", { payment_id: cancelled.payment_id, reason_code: "other" });
    expect(wasCancelled.message).toMatch(/is cancelled;.*nothing to refund/);
    const unknown = await expectFailure(context.client, "process_refund", { payment_id: "PAY-00000000", reason_code: "other" });
    expect(unknown.code).toBe("UNKNOWN_PAYMENT");
    expect(snapshot(context.database)).toEqual(before);
  });

  it("never refunds more than was paid, even with parallel calls over two connections", async () => {
    const paymentId = await paidPayment(context.client, 100);
    const other = await openPaymentTestContext({ dataDir: context.dataDir });
    try {
      const clients = [context.client, other.client];
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, n) => callTool(clients[n % 2]!, "process_refund", { payment_id: paymentId, amount: 30, reason_code: "duplicate" })),
      );
      const successes = results.filter((result) => !result.isError);
      expect(successes).toHaveLength(3);
      for (const failure of results.filter((result) => result.isError)) expect(failure._meta?.error_code).toBe("REFUND_EXCEEDS_REFUNDABLE");
      expect(paymentRow(paymentId)).toMatchObject({ refundedCents: 9_000, status: "partially_refunded" });
      const rows = snapshot(context.database).refunds.filter((refund) => refund.paymentId === paymentId);
      expect(rows.map((refund) => refund.amountCents)).toEqual([3_000, 3_000, 3_000]);
    } finally {
      await other.close();
    }
  });

  it("lets exactly one of many parallel full refunds through", async () => {
    const paymentId = await paidPayment(context.client, 75.5);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) => callTool(context.client, "process_refund", { payment_id: paymentId, reason_code: "fraudulent", idempotency_key: `full-${n}` })),
    );
    expect(results.filter((result) => !result.isError)).toHaveLength(1);
    expect(paymentRow(paymentId)).toMatchObject({ refundedCents: 7_550, status: "refunded" });
    expect(snapshot(context.database).refunds.filter((refund) => refund.paymentId === paymentId)).toHaveLength(1);
  });

  it("makes one refund per idempotency key and refuses the key with other arguments", async () => {
    const paymentId = await paidPayment(context.client, 100);
    const args = { payment_id: paymentId, amount: 10, reason_code: "requested_by_customer", idempotency_key: "wf-7:refund" };
    const results = await Promise.all(Array.from({ length: 20 }, () => expectSuccess(context.client, "process_refund", args)));
    for (const result of results) expect(result).toEqual(results[0]);
    expect(paymentRow(paymentId).refundedCents).toBe(1_000);

    const before = snapshot(context.database);
    const reused = await expectFailure(context.client, "process_refund", { ...args, amount: 11 });
    expect(reused.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(snapshot(context.database)).toEqual(before);
  });

  it("is backed by a database constraint on the refunded total", async () => {
    const paymentId = await paidPayment(context.client, 100);
    const update = context.database.sqlite.prepare("UPDATE payments SET refunded_cents = 10001 WHERE id = ?");
    expect(() => update.run(paymentId)).toThrow(/CHECK constraint failed: payments_refunded_within_amount/);
  });
});
