import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { connectInMemoryClient } from "@switchyard/mcp-kit";
import { expect } from "vitest";
import { createOrderServer, openOrderDatabase, orderSchema, type OrderDatabase } from "../src/index.js";

/** Structured tool output as the tests read it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Structured = Record<string, any>;

export interface OrderTestContext {
  dataDir: string;
  database: OrderDatabase;
  client: Client;
  close(): Promise<void>;
}

export function makeDataDir(): string {
  return mkdtempSync(join(tmpdir(), "switchyard-order-"));
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}

/** A real client connected in memory to a server over its own connection to `dataDir`'s database. */
export async function openOrderTestContext(dataDir: string = makeDataDir()): Promise<OrderTestContext> {
  const database = openOrderDatabase(dataDir);
  const client = await connectInMemoryClient(createOrderServer(database), "order-test");
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

/** The message of a call that must have failed with an `isError` result. */
export async function callFails(client: Client, name: string, args: Record<string, unknown>): Promise<{ message: string; code: unknown }> {
  const result = await callTool(client, name, args);
  expect(result.isError, `${name} unexpectedly succeeded`).toBe(true);
  return { message: textOf(result), code: result._meta?.error_code };
}

export function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
}

export function orderRows(database: OrderDatabase) {
  return database.db.select().from(orderSchema.orders).all();
}

export function eventRows(database: OrderDatabase) {
  return database.db.select().from(orderSchema.orderEvents).all();
}

export function idempotencyRows(database: OrderDatabase) {
  return database.db.select().from(orderSchema.idempotencyKeys).all();
}
