import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
export { idempotencyKeys } from "@switchyard/mcp-kit";

export const orderStatuses = ["pending", "confirmed", "shipped", "delivered", "cancelled"] as const;
export type OrderStatus = (typeof orderStatuses)[number];

const statusList = sql.raw(orderStatuses.map((status) => `'${status}'`).join(", "));

export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    sku: text("sku").notNull(),
    quantity: integer("quantity").notNull(),
    reservationId: text("reservation_id").notNull(),
    customer: text("customer"),
    status: text("status", { enum: orderStatuses }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    check("orders_quantity_positive", sql`${table.quantity} > 0`),
    check("orders_status_known", sql`${table.status} IN (${statusList})`),
    // A reservation backs at most one live order, whatever code path or process writes.
    uniqueIndex("orders_live_reservation_idx")
      .on(table.reservationId)
      .where(sql`${table.status} <> 'cancelled'`),
    index("orders_status_idx").on(table.status),
    index("orders_created_at_idx").on(table.createdAt),
  ],
);

/** Append-only history: one row per status change, the creation included (`from_status` null). */
export const orderEvents = sqliteTable(
  "order_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    fromStatus: text("from_status", { enum: orderStatuses }),
    toStatus: text("to_status", { enum: orderStatuses }).notNull(),
    reason: text("reason"),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [index("order_events_order_id_idx").on(table.orderId)],
);
