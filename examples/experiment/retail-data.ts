/**
 * The experiment's view of the retail services' data: the initial stock it sets before a run
 * and the consistency invariants it checks after, both straight on the SQLite files.
 */
import { join } from "node:path";
import { inventorySchema, openInventoryDatabase } from "@switchyard/inventory-mcp";
import { orderSchema } from "@switchyard/order-mcp";
import Database from "better-sqlite3";
import { and, count, eq, sum } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import type { ConsistencyReport, InvariantCheck } from "./experiment-types.js";

/**
 * Sets the stock of `sku` in a fresh data folder before the stack starts: the inventory
 * database is created (migrated and seeded) here, then the item gets `stock` available and
 * nothing reserved or sold. Done on the database because the `restock` tool can only add.
 */
export function setInitialStock(dataDir: string, sku: string, stock: number): void {
  const inventory = openInventoryDatabase(dataDir);
  try {
    const { items } = inventorySchema;
    const changed = inventory.db.update(items).set({ available: stock, reserved: 0, sold: 0, updatedAt: new Date() }).where(eq(items.sku, sku)).run().changes;
    if (changed !== 1) throw new Error(`the inventory has no item "${sku}"`);
  } finally {
    inventory.close();
  }
}

function readOnly<TSchema extends Record<string, unknown>>(dataDir: string, file: string, schema: TSchema) {
  const sqlite = new Database(join(dataDir, file), { readonly: true, fileMustExist: true });
  return { db: drizzle(sqlite, { schema }), close: () => sqlite.close() };
}

/**
 * Checks the invariants of a finished run on the services' own data:
 * nothing reserved, initial stock = available + sold, no pending order, no held
 * reservation, confirmed orders × quantity = sold, and as many confirmed orders as
 * requests the client saw succeed.
 */
export function checkRetailConsistency(dataDir: string, expected: { sku: string; initialStock: number; succeeded: number }): ConsistencyReport {
  const inventory = readOnly(dataDir, "inventory.db", inventorySchema);
  const orders = readOnly(dataDir, "order.db", orderSchema);
  try {
    const { items, reservations } = inventorySchema;
    const item = inventory.db.select().from(items).where(eq(items.sku, expected.sku)).get();
    if (!item) throw new Error(`the inventory has no item "${expected.sku}"`);
    const held = inventory.db.select({ n: count() }).from(reservations).where(and(eq(reservations.sku, expected.sku), eq(reservations.status, "held"))).get()?.n ?? 0;
    const o = orderSchema.orders;
    const pending = orders.db.select({ n: count() }).from(o).where(and(eq(o.sku, expected.sku), eq(o.status, "pending"))).get()?.n ?? 0;
    const confirmed = orders.db
      .select({ n: count(), units: sum(o.quantity) })
      .from(o)
      .where(and(eq(o.sku, expected.sku), eq(o.status, "confirmed")))
      .get();
    const confirmedOrders = confirmed?.n ?? 0;
    const confirmedUnits = Number(confirmed?.units ?? 0);
    const checks: InvariantCheck[] = [
      { name: "nothing left reserved", holds: item.reserved === 0, detail: `reserved = ${item.reserved}` },
      {
        name: "initial stock = available + sold",
        holds: item.available + item.sold === expected.initialStock,
        detail: `${expected.initialStock} vs ${item.available} + ${item.sold} = ${item.available + item.sold}`,
      },
      { name: "no pending orders", holds: pending === 0, detail: `${pending} pending` },
      { name: "no held reservations", holds: held === 0, detail: `${held} held` },
      { name: "confirmed orders × quantity = sold", holds: confirmedUnits === item.sold, detail: `${confirmedUnits} units confirmed, ${item.sold} sold` },
      {
        name: "confirmed orders = requests that succeeded",
        holds: confirmedOrders === expected.succeeded,
        detail: `${confirmedOrders} confirmed, ${expected.succeeded} succeeded`,
      },
    ];
    return {
      checks,
      violations: checks.filter((c) => !c.holds).length,
      data: {
        initial_stock: expected.initialStock,
        available: item.available,
        reserved: item.reserved,
        sold: item.sold,
        held_reservations: held,
        pending_orders: pending,
        confirmed_orders: confirmedOrders,
        confirmed_units: confirmedUnits,
      },
    };
  } finally {
    inventory.close();
    orders.close();
  }
}
