import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
export { idempotencyKeys } from "@switchyard/mcp-kit";

export const parts = sqliteTable(
  "parts",
  {
    partNumber: text("part_number").primaryKey(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** Lower-case slug such as `brakes` or `filters`. */
    category: text("category").notNull(),
    brand: text("brand").notNull(),
    priceCents: integer("price_cents").notNull(),
    available: integer("available").notNull(),
    reserved: integer("reserved").notNull().default(0),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    // The database itself refuses negative stock and malformed part numbers, whatever code path runs.
    check("parts_available_non_negative", sql`${table.available} >= 0`),
    check("parts_reserved_non_negative", sql`${table.reserved} >= 0`),
    check("parts_price_non_negative", sql`${table.priceCents} >= 0`),
    check(
      "parts_part_number_format",
      sql`length(${table.partNumber}) BETWEEN 3 AND 20 AND ${table.partNumber} NOT GLOB '*[^A-Z0-9-]*'`,
    ),
    index("parts_category_idx").on(table.category),
  ],
);

export const partCompatibility = sqliteTable(
  "part_compatibility",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    partNumber: text("part_number")
      .notNull()
      .references(() => parts.partNumber),
    make: text("make").notNull(),
    model: text("model").notNull(),
    yearFrom: integer("year_from").notNull(),
    yearTo: integer("year_to").notNull(),
  },
  (table) => [
    check("part_compatibility_year_range", sql`${table.yearFrom} <= ${table.yearTo}`),
    index("part_compatibility_part_idx").on(table.partNumber),
  ],
);

export const partAlternatives = sqliteTable(
  "part_alternatives",
  {
    partNumber: text("part_number")
      .notNull()
      .references(() => parts.partNumber),
    alternativePartNumber: text("alternative_part_number")
      .notNull()
      .references(() => parts.partNumber),
    note: text("note").notNull().default(""),
  },
  (table) => [
    primaryKey({ columns: [table.partNumber, table.alternativePartNumber] }),
    check("part_alternatives_not_self", sql`${table.partNumber} <> ${table.alternativePartNumber}`),
  ],
);

export const partReservationStatuses = ["held", "released", "consumed"] as const;
export type PartReservationStatus = (typeof partReservationStatuses)[number];

export const partReservations = sqliteTable(
  "part_reservations",
  {
    id: text("id").primaryKey(),
    repairOrderId: text("repair_order_id").notNull(),
    status: text("status", { enum: partReservationStatuses }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    check("part_reservations_status", sql`${table.status} IN ('held', 'released', 'consumed')`),
    index("part_reservations_repair_order_idx").on(table.repairOrderId),
  ],
);

export const partReservationLines = sqliteTable(
  "part_reservation_lines",
  {
    reservationId: text("reservation_id")
      .notNull()
      .references(() => partReservations.id),
    partNumber: text("part_number")
      .notNull()
      .references(() => parts.partNumber),
    quantity: integer("quantity").notNull(),
    /** Price at the time of reservation, so later price changes do not rewrite it. */
    unitPriceCents: integer("unit_price_cents").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.reservationId, table.partNumber] }),
    check("part_reservation_lines_quantity_positive", sql`${table.quantity} > 0`),
    check("part_reservation_lines_price_non_negative", sql`${table.unitPriceCents} >= 0`),
  ],
);
