import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
export { idempotencyKeys } from "@switchyard/mcp-kit";

export const items = sqliteTable(
  "items",
  {
    sku: text("sku").primaryKey(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    priceCents: integer("price_cents").notNull(),
    available: integer("available").notNull(),
    reserved: integer("reserved").notNull().default(0),
    sold: integer("sold").notNull().default(0),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    // The database itself refuses negative stock, whatever code path runs.
    check("items_available_non_negative", sql`${table.available} >= 0`),
    check("items_reserved_non_negative", sql`${table.reserved} >= 0`),
    check("items_sold_non_negative", sql`${table.sold} >= 0`),
  ],
);

export const reservationStatuses = ["held", "committed", "released"] as const;
export type ReservationStatus = (typeof reservationStatuses)[number];

export const reservations = sqliteTable(
  "reservations",
  {
    id: text("id").primaryKey(),
    sku: text("sku")
      .notNull()
      .references(() => items.sku),
    quantity: integer("quantity").notNull(),
    status: text("status", { enum: reservationStatuses }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [index("reservations_status_idx").on(table.status)],
);
