import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { expectSuccess, startInMemoryServer, type InMemoryServer } from "@switchyard/mcp-kit/testing";
import { createPaymentServer, paymentSchema, paymentServerDefinition, type PaymentDatabase } from "../src/index.js";

export type PaymentTestContext = InMemoryServer<PaymentDatabase>;

/** A real client connected in memory to a payment server, optionally on a shared `dataDir` and with a test clock. */
export function openPaymentTestContext(options: { dataDir?: string; now?: () => Date } = {}): Promise<PaymentTestContext> {
  const { dataDir, now } = options;
  return startInMemoryServer(
    { ...paymentServerDefinition, createServer: (database) => createPaymentServer({ db: database.db, ...(now ? { now } : {}) }) },
    { dataDir, clientName: "payment-test" },
  );
}

/** Every row of every table, to assert that a refused call changed nothing. */
export function snapshot(database: PaymentDatabase) {
  const { db } = database;
  return {
    payments: db.select().from(paymentSchema.payments).all(),
    refunds: db.select().from(paymentSchema.refunds).all(),
    notifications: db.select().from(paymentSchema.notifications).all(),
    idempotencyKeys: db.select().from(paymentSchema.idempotencyKeys).all(),
  };
}

export const validLink = {
  invoice_number: "RO-1234",
  amount: 100,
  currency: "USD",
  customer_email: "jordan@example.com",
} as const;

/** Creates a link and marks it paid, returning its id. */
export async function paidPayment(client: Client, amount = 100): Promise<string> {
  const link = await expectSuccess(client, "create_payment_link", { ...validLink, amount });
  await expectSuccess(client, "mark_payment_paid", { payment_id: link.payment_id });
  return link.payment_id as string;
}
