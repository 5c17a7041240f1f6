import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectFailure, expectSuccess, runToolCalls, type Structured } from "@switchyard/mcp-kit/testing";
import { seedPaymentIds } from "../src/index.js";
import { openPaymentTestContext, paidPayment, snapshot, validLink, type PaymentTestContext } from "./payment-test-context.js";
import { toolCalls } from "./tool-calls.js";

let context: PaymentTestContext;

beforeEach(async () => {
  context = await openPaymentTestContext();
});

afterEach(async () => {
  await context.close();
});

const allTools = [
  "cancel_payment_link",
  "check_payment_status",
  "create_payment_link",
  "get_payment_methods",
  "list_payments",
  "mark_payment_paid",
  "process_refund",
  "send_payment_notification",
];

describe("payment tools", () => {
  it("lists every tool with input and output schemas and annotations", async () => {
    const { tools } = await context.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(allTools);
    for (const tool of tools) {
      expect(tool.outputSchema?.type, tool.name).toBe("object");
      expect(tool.annotations?.readOnlyHint, tool.name).toBeTypeOf("boolean");
      expect(tool.annotations?.destructiveHint, tool.name).toBeTypeOf("boolean");
      expect(tool.annotations?.idempotentHint, tool.name).toBeTypeOf("boolean");
      expect(tool.annotations?.openWorldHint, tool.name).toBe(false);
    }
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(byName.process_refund?.annotations?.destructiveHint).toBe(true);
    expect(byName.check_payment_status?.annotations?.readOnlyHint).toBe(true);
    expect(byName.send_payment_notification?.description).toMatch(/no email or SMS is actually sent/);
    expect(byName.create_payment_link?.inputSchema.properties?.amount).toMatchObject({ multipleOf: 0.01 });
  });

  it("runs every sample call in test/tool-calls.ts on a freshly seeded database", async () => {
    expect(new Set(toolCalls.map((call) => call.tool))).toEqual(new Set(allTools));
    const previous = await runToolCalls(context.client, toolCalls);
    expect(previous.process_refund).toMatchObject({ amount: 50, payment_status: "partially_refunded", remaining_refundable: 139.5 });
    expect(previous.cancel_payment_link).toMatchObject({ status: "cancelled", already_cancelled: false });
  });

  it("seeds a paid and a pending example payment", async () => {
    const paid = await expectSuccess(context.client, "check_payment_status", { payment_id: seedPaymentIds.paid });
    expect(paid).toMatchObject({ status: "paid", amount: 249.99, amount_refundable: 249.99, method: "card", refunds: [] });
    const pending = await expectSuccess(context.client, "check_payment_status", { payment_id: seedPaymentIds.pending });
    expect(pending).toMatchObject({ status: "pending", amount: 89.5, amount_refundable: 0 });
  });

  it("creates a pending link with a PAY- id, a payment URL and integer cents in the database", async () => {
    const link = await expectSuccess(context.client, "create_payment_link", { ...validLink, amount: 189.95, description: "Brake pads" });
    expect(link.payment_id).toMatch(/^PAY-[0-9A-F]{8}$/);
    expect(link.payment_url).toMatch(/^https:\/\/pay\.switchyard\.local\/p\/[A-Za-z0-9_-]{20,}$/);
    expect(link).toMatchObject({
      status: "pending",
      amount: 189.95,
      currency: "USD",
      invoice_number: "RO-1234",
      customer_email: "jordan@example.com",
      description: "Brake pads",
    });
    expect(Date.parse(link.expires_at) - Date.parse(link.created_at)).toBe(72 * 3_600_000);
    const row = snapshot(context.database).payments.find((payment) => payment.id === link.payment_id);
    expect(row).toMatchObject({ amountCents: 18_995, refundedCents: 0, status: "pending" });
  });

  it("defaults the currency to USD and honours expires_in_hours and other currencies", async () => {
    const { currency: _omit, ...withoutCurrency } = validLink;
    expect((await expectSuccess(context.client, "create_payment_link", withoutCurrency)).currency).toBe("USD");
    const euro = await expectSuccess(context.client, "create_payment_link", { ...validLink, currency: "EUR", expires_in_hours: 2 });
    expect(euro.currency).toBe("EUR");
    expect(Date.parse(euro.expires_at) - Date.parse(euro.created_at)).toBe(2 * 3_600_000);
  });

  it("lists payment methods per currency", async () => {
    const all = await expectSuccess(context.client, "get_payment_methods", {});
    expect(all.currencies.map((entry: Structured) => entry.currency)).toEqual(expect.arrayContaining(["USD", "EUR", "GBP", "CAD"]));
    for (const entry of all.currencies) expect(entry.methods).toContain("card");
    const usd = await expectSuccess(context.client, "get_payment_methods", { currency: "USD" });
    expect(usd.currencies).toEqual([{ currency: "USD", methods: expect.arrayContaining(["card", "ach", "apple_pay"]) }]);
    const eur = await expectSuccess(context.client, "get_payment_methods", { currency: "EUR" });
    expect(eur.currencies[0].methods).toContain("sepa_debit");
    expect((await expectFailure(context.client, "get_payment_methods", { currency: "XYZ" })).message).toMatch(/expected one of "USD"\|"EUR"/);
  });

  it("marks a pending payment paid once, and refuses a method the currency does not accept", async () => {
    const link = await expectSuccess(context.client, "create_payment_link", validLink);
    const before = snapshot(context.database);
    const refused = await expectFailure(context.client, "mark_payment_paid", { payment_id: link.payment_id, method: "sepa_debit" });
    expect(refused.code).toBe("UNSUPPORTED_PAYMENT_METHOD");
    expect(refused.message).toMatch(/sepa_debit is not accepted for USD\. Accepted for USD: card, ach/);
    expect(snapshot(context.database)).toEqual(before);

    const paid = await expectSuccess(context.client, "mark_payment_paid", { payment_id: link.payment_id, method: "ach" });
    expect(paid).toMatchObject({ status: "paid", method: "ach", already_paid: false, amount_refundable: 100 });
    expect(paid.paid_at).toBeTypeOf("string");
    const afterPaid = snapshot(context.database);
    const again = await expectSuccess(context.client, "mark_payment_paid", { payment_id: link.payment_id });
    expect(again).toMatchObject({ status: "paid", method: "ach", already_paid: true });
    expect(snapshot(context.database)).toEqual(afterPaid);
  });

  it("cancels an unpaid link, harmlessly twice, but never a paid one", async () => {
    const link = await expectSuccess(context.client, "create_payment_link", validLink);
    expect(await expectSuccess(context.client, "cancel_payment_link", { payment_id: link.payment_id })).toMatchObject({ status: "cancelled", already_cancelled: false });
    expect(await expectSuccess(context.client, "cancel_payment_link", { payment_id: link.payment_id })).toMatchObject({ status: "cancelled", already_cancelled: true });
    const unpayable = await expectFailure(context.client, "mark_payment_paid", { payment_id: link.payment_id });
    expect(unpayable.code).toBe("PAYMENT_LINK_CANCELLED");

    const paidId = await paidPayment(context.client);
    const before = snapshot(context.database);
    const refused = await expectFailure(context.client, "cancel_payment_link", { payment_id: paidId });
    expect(refused.message).toMatch(/is paid and can no longer be cancelled; use process_refund/);
    expect(snapshot(context.database)).toEqual(before);
  });

  it("lists payments newest first, by status and by invoice", async () => {
    const first = await expectSuccess(context.client, "create_payment_link", { ...validLink, invoice_number: "INV-A" });
    const second = await expectSuccess(context.client, "create_payment_link", { ...validLink, invoice_number: "INV-A", amount: 20 });
    await expectSuccess(context.client, "create_payment_link", { ...validLink, invoice_number: "INV-B" });
    await expectSuccess(context.client, "mark_payment_paid", { payment_id: first.payment_id });

    const forInvoice = await expectSuccess(context.client, "list_payments", { invoice_number: "INV-A" });
    expect(forInvoice.payments.map((payment: Structured) => payment.payment_id)).toEqual([second.payment_id, first.payment_id]);
    const paid = await expectSuccess(context.client, "list_payments", { status: "paid" });
    expect(paid.payments.map((payment: Structured) => payment.payment_id).sort()).toEqual([first.payment_id, seedPaymentIds.paid].sort());
    const pendingForA = await expectSuccess(context.client, "list_payments", { status: "pending", invoice_number: "INV-A" });
    expect(pendingForA.payments.map((payment: Structured) => payment.payment_id)).toEqual([second.payment_id]);
    expect((await expectSuccess(context.client, "list_payments", { limit: 2 })).payments).toHaveLength(2);
    expect((await expectSuccess(context.client, "list_payments", {})).payments).toHaveLength(5);
  });

  it("serves the payment list and each payment as resources", async () => {
    const { resources } = await context.client.listResources();
    const uris = resources.map((resource) => resource.uri);
    expect(uris).toContain("payments://payments");
    expect(uris).toContain(`payments://payments/${seedPaymentIds.paid}`);
    const { resourceTemplates } = await context.client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toContain("payments://payments/{payment_id}");

    const list = JSON.parse(((await context.client.readResource({ uri: "payments://payments" })).contents[0] as { text: string }).text);
    expect(list.map((payment: Structured) => payment.payment_id).sort()).toEqual([seedPaymentIds.paid, seedPaymentIds.pending]);

    const one = await context.client.readResource({ uri: `payments://payments/${seedPaymentIds.paid}` });
    expect(one.contents[0]?.mimeType).toBe("application/json");
    expect(JSON.parse((one.contents[0] as { text: string }).text)).toMatchObject({ payment_id: seedPaymentIds.paid, status: "paid", refunds: [] });
    await expect(context.client.readResource({ uri: "payments://payments/PAY-00000000" })).rejects.toThrow(/Unknown payment "PAY-00000000"/);
  });

  it("offers the payment-link-email prompt", async () => {
    const { prompts } = await context.client.listPrompts();
    expect(prompts.map((prompt) => prompt.name)).toContain("payment-link-email");
    const prompt = await context.client.getPrompt({ name: "payment-link-email", arguments: { payment_id: seedPaymentIds.pending, tone: "formal" } });
    const text = (prompt.messages[0]?.content as { text: string }).text;
    expect(text).toContain(seedPaymentIds.pending);
    expect(text).toContain("check_payment_status");
    expect(text).toContain("formal");
  });
});
