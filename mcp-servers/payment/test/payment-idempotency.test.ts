import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectFailure, expectSuccess } from "@switchyard/mcp-kit/testing";
import { openPaymentTestContext, snapshot, validLink, type PaymentTestContext } from "./payment-test-context.js";

let context: PaymentTestContext;

beforeEach(async () => {
  context = await openPaymentTestContext();
});

afterEach(async () => {
  await context.close();
});

const seededPayments = 2;

describe("create_payment_link idempotency", () => {
  it("returns the same link for the same key and writes one row", async () => {
    const args = { ...validLink, idempotency_key: "wf-1:payment" };
    const first = await expectSuccess(context.client, "create_payment_link", args);
    const second = await expectSuccess(context.client, "create_payment_link", args);
    expect(second).toEqual(first);
    expect(snapshot(context.database).payments).toHaveLength(seededPayments + 1);
    expect(snapshot(context.database).idempotencyKeys).toHaveLength(1);
  });

  it("treats omitted defaults and explicit defaults as the same request", async () => {
    const { currency: _omit, ...withoutCurrency } = validLink;
    const first = await expectSuccess(context.client, "create_payment_link", { ...withoutCurrency, idempotency_key: "wf-2:payment" });
    const second = await expectSuccess(context.client, "create_payment_link", { ...validLink, expires_in_hours: 72, idempotency_key: "wf-2:payment" });
    expect(second).toEqual(first);
    expect(snapshot(context.database).payments).toHaveLength(seededPayments + 1);
  });

  it("turns 20 parallel duplicates into one link", async () => {
    const args = { ...validLink, idempotency_key: "wf-3:payment" };
    const results = await Promise.all(Array.from({ length: 20 }, () => expectSuccess(context.client, "create_payment_link", args)));
    for (const result of results) expect(result).toEqual(results[0]);
    expect(snapshot(context.database).payments).toHaveLength(seededPayments + 1);
  });

  it("refuses the same key with different arguments and writes nothing", async () => {
    await expectSuccess(context.client, "create_payment_link", { ...validLink, idempotency_key: "wf-4:payment" });
    const before = snapshot(context.database);
    const failure = await expectFailure(context.client, "create_payment_link", { ...validLink, amount: 101, idempotency_key: "wf-4:payment" });
    expect(failure.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(failure.message).toMatch(/already used by create_payment_link with different arguments; use a new key/);
    expect(snapshot(context.database)).toEqual(before);
  });

  it("creates separate links without a key", async () => {
    const first = await expectSuccess(context.client, "create_payment_link", validLink);
    const second = await expectSuccess(context.client, "create_payment_link", validLink);
    expect(second.payment_id).not.toBe(first.payment_id);
    expect(second.payment_url).not.toBe(first.payment_url);
  });
});
