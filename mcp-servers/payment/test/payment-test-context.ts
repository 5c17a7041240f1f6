import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { connectInMemoryClient } from "@switchyard/mcp-kit";
import { expect } from "vitest";
import { createPaymentServer, openPaymentDatabase, paymentSchema, type PaymentDatabase } from "../src/index.js";

/** Structured tool output as the tests read it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Structured = Record<string, any>;

export interface PaymentTestContext {
  dataDir: string;
  database: PaymentDatabase;
  client: Client;
  close(): Promise<void>;
}

export function makeDataDir(): string {
  return mkdtempSync(join(tmpdir(), "switchyard-payment-"));
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}

/** A real client connected in memory to a server over its own connection to `dataDir`'s database. */
export async function openPaymentTestContext(options: { dataDir?: string; now?: () => Date } = {}): Promise<PaymentTestContext> {
  const dataDir = options.dataDir ?? makeDataDir();
  const database = openPaymentDatabase(dataDir);
  const client = await connectInMemoryClient(createPaymentServer({ db: database.db, ...(options.now ? { now: options.now } : {}) }), "payment-test");
  return {
    dataDir,
    database,
    client,
    close: async () => {
      await client.close();
      database.close();
    },
  };
}

export async function callTool(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The structured result of a call that must have succeeded. */
export async function callOk(client: Client, name: string, args: Record<string, unknown>): Promise<Structured> {
  const result = await callTool(client, name, args);
  expect(result.isError, `${name} failed: ${textOf(result)}`).toBeFalsy();
  expect(result.structuredContent).toBeDefined();
  return result.structuredContent as Structured;
}

/** The message and code of a call that must have failed with an `isError` result. */
export async function callFails(client: Client, name: string, args: Record<string, unknown>): Promise<{ message: string; code: unknown }> {
  const result = await callTool(client, name, args);
  expect(result.isError, `${name} unexpectedly succeeded`).toBe(true);
  return { message: textOf(result), code: result._meta?.error_code };
}

export function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
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
  const link = await callOk(client, "create_payment_link", { ...validLink, amount });
  await callOk(client, "mark_payment_paid", { payment_id: link.payment_id });
  return link.payment_id as string;
}
