import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectFailure, expectSuccess, type Structured } from "@switchyard/mcp-kit/testing";
import { openPaymentTestContext, snapshot, validLink, type PaymentTestContext } from "./payment-test-context.js";

const HOUR = 3_600_000;
let clock: Date;
let context: PaymentTestContext;

beforeEach(async () => {
  clock = new Date();
  context = await openPaymentTestContext({ now: () => clock });
});

afterEach(async () => {
  await context.close();
});

describe("payment link expiry", () => {
  it("reads a pending link past expires_at as expired, and refuses to take payment on it", async () => {
    const link = await expectSuccess(context.client, "create_payment_link", { ...validLink, expires_in_hours: 72 });
    expect(link.expires_at).toBe(new Date(clock.getTime() + 72 * HOUR).toISOString());

    clock = new Date(clock.getTime() + 72 * HOUR - 1);
    expect((await expectSuccess(context.client, "check_payment_status", { payment_id: link.payment_id })).status).toBe("pending");

    clock = new Date(clock.getTime() + 1);
    expect((await expectSuccess(context.client, "check_payment_status", { payment_id: link.payment_id })).status).toBe("expired");
    const expired = await expectSuccess(context.client, "list_payments", { status: "expired" });
    expect(expired.payments.map((payment: Structured) => payment.payment_id)).toContain(link.payment_id);
    const pending = await expectSuccess(context.client, "list_payments", { status: "pending" });
    expect(pending.payments.map((payment: Structured) => payment.payment_id)).not.toContain(link.payment_id);

    const before = snapshot(context.database);
    const unpaid = await expectFailure(context.client, "mark_payment_paid", { payment_id: link.payment_id });
    expect(unpaid.code).toBe("PAYMENT_LINK_EXPIRED");
    expect(unpaid.message).toMatch(/expired at .* without being paid; create a new payment link/);
    const noRefund = await expectFailure(context.client, "process_refund", { payment_id: link.payment_id, reason_code: "other" });
    expect(noRefund.message).toMatch(/is expired;.*expired unpaid/);
    const noNotice = await expectFailure(context.client, "send_payment_notification", { payment_id: link.payment_id });
    expect(noNotice.code).toBe("NOTHING_TO_NOTIFY");
    expect(snapshot(context.database)).toEqual(before);

    expect(await expectSuccess(context.client, "cancel_payment_link", { payment_id: link.payment_id })).toMatchObject({ status: "cancelled" });
  });

  it("keeps a paid payment paid after its link's expiry", async () => {
    const link = await expectSuccess(context.client, "create_payment_link", { ...validLink, expires_in_hours: 1 });
    await expectSuccess(context.client, "mark_payment_paid", { payment_id: link.payment_id });
    clock = new Date(clock.getTime() + 2 * HOUR);
    expect((await expectSuccess(context.client, "check_payment_status", { payment_id: link.payment_id })).status).toBe("paid");
    expect((await expectSuccess(context.client, "process_refund", { payment_id: link.payment_id, reason_code: "other" })).payment_status).toBe("refunded");
  });
});
