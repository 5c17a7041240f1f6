import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectFailure, expectSuccess } from "@switchyard/mcp-kit/testing";
import { seedPaymentIds } from "../src/index.js";
import { openPaymentTestContext, paidPayment, snapshot, validLink, type PaymentTestContext } from "./payment-test-context.js";

let context: PaymentTestContext;

beforeEach(async () => {
  context = await openPaymentTestContext();
});

afterEach(async () => {
  await context.close();
});

describe("send_payment_notification", () => {
  it("queues an email with the payment link to the customer by default, sending nothing", async () => {
    const link = await expectSuccess(context.client, "create_payment_link", { ...validLink, amount: 42.5, description: "Oil change" });
    const notification = await expectSuccess(context.client, "send_payment_notification", { payment_id: link.payment_id });
    expect(notification).toMatchObject({ status: "queued", channel: "email", recipient: "jordan@example.com", payment_id: link.payment_id, payment_status: "pending" });
    expect(notification.notification_id).toMatch(/^NTF-[0-9A-F]{8}$/);
    expect(notification.message).toContain("42.50 USD");
    expect(notification.message).toContain("RO-1234");
    expect(notification.message).toContain(link.payment_url);
    expect(snapshot(context.database).notifications).toEqual([
      {
        id: notification.notification_id,
        paymentId: link.payment_id,
        channel: "email",
        recipient: "jordan@example.com",
        message: notification.message,
        createdAt: new Date(notification.created_at),
      },
    ]);
  });

  it("sends a receipt for a paid payment and a refund notice after a refund", async () => {
    const receipt = await expectSuccess(context.client, "send_payment_notification", { payment_id: seedPaymentIds.paid, recipient: "billing@example.com" });
    expect(receipt).toMatchObject({ recipient: "billing@example.com", payment_status: "paid" });
    expect(receipt.message).toMatch(/received your payment of 249\.99 USD/);

    await expectSuccess(context.client, "process_refund", { payment_id: seedPaymentIds.paid, amount: 49.99, reason_code: "other" });
    const partial = await expectSuccess(context.client, "send_payment_notification", { payment_id: seedPaymentIds.paid });
    expect(partial.message).toMatch(/refunded 49\.99 USD of your 249\.99 USD payment/);
  });

  it("queues an sms to an E.164 number and requires one", async () => {
    const sms = await expectSuccess(context.client, "send_payment_notification", { payment_id: seedPaymentIds.pending, channel: "sms", recipient: "+14155550123" });
    expect(sms).toMatchObject({ channel: "sms", recipient: "+14155550123", status: "queued" });

    const before = snapshot(context.database);
    const missing = await expectFailure(context.client, "send_payment_notification", { payment_id: seedPaymentIds.pending, channel: "sms" });
    expect(missing.code).toBe("RECIPIENT_REQUIRED");
    expect(missing.message).toMatch(/needs a recipient phone number in E\.164 form/);
    const badPhone = await expectFailure(context.client, "send_payment_notification", { payment_id: seedPaymentIds.pending, channel: "sms", recipient: "555-0123" });
    expect(badPhone.message).toMatch(/not a phone number in E\.164 form/);
    const badEmail = await expectFailure(context.client, "send_payment_notification", { payment_id: seedPaymentIds.pending, recipient: "not-an-email" });
    expect(badEmail.message).toMatch(/"not-an-email" is not a valid email address/);
    const badChannel = await expectFailure(context.client, "send_payment_notification", { payment_id: seedPaymentIds.pending, channel: "fax" });
    expect(badChannel.message).toMatch(/expected one of "email"\|"sms"/);
    const unknown = await expectFailure(context.client, "send_payment_notification", { payment_id: "PAY-00000000" });
    expect(unknown.code).toBe("UNKNOWN_PAYMENT");
    expect(snapshot(context.database)).toEqual(before);
  });

  it("refuses to notify about a cancelled link", async () => {
    await expectSuccess(context.client, "cancel_payment_link", { payment_id: seedPaymentIds.pending });
    const before = snapshot(context.database);
    const refused = await expectFailure(context.client, "send_payment_notification", { payment_id: seedPaymentIds.pending });
    expect(refused.code).toBe("NOTHING_TO_NOTIFY");
    expect(refused.message).toMatch(/is cancelled.*create_payment_link/);
    expect(snapshot(context.database)).toEqual(before);
  });

  it("queues one notification per idempotency key", async () => {
    const paymentId = await paidPayment(context.client);
    const args = { payment_id: paymentId, idempotency_key: "wf-9:notify" };
    const results = await Promise.all(Array.from({ length: 20 }, () => expectSuccess(context.client, "send_payment_notification", args)));
    for (const result of results) expect(result).toEqual(results[0]);
    expect(snapshot(context.database).notifications).toHaveLength(1);
  });
});
