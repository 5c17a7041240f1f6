import { sql, type SQL } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { repairOrderStatuses } from "./repair-order-status.js";
export { idempotencyKeys } from "@switchyard/mcp-kit";

// Inlined as literals so that the CHECK constraint lands in the generated migration.
function isRepairOrderStatus(column: AnySQLiteColumn): SQL {
  return sql`${column} IN (${sql.raw(repairOrderStatuses.map((status) => `'${status}'`).join(", "))})`;
}

export const technicians = sqliteTable("technicians", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  specialty: text("specialty").notNull(),
});

export const repairOrders = sqliteTable(
  "repair_orders",
  {
    id: text("id").primaryKey(),
    customerName: text("customer_name").notNull(),
    customerEmail: text("customer_email").notNull(),
    customerPhone: text("customer_phone"),
    vehicleMake: text("vehicle_make").notNull(),
    vehicleModel: text("vehicle_model").notNull(),
    vehicleYear: integer("vehicle_year").notNull(),
    vehicleVin: text("vehicle_vin"),
    description: text("description").notNull(),
    status: text("status", { enum: repairOrderStatuses }).notNull(),
    technicianId: text("technician_id").references(() => technicians.id),
    /** Sum of the priced part lines, in cents. */
    estimatedTotalCents: integer("estimated_total_cents").notNull().default(0),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    check(
      "repair_orders_id_format",
      sql`length(${table.id}) BETWEEN 1 AND 32 AND ${table.id} NOT GLOB '*[^A-Za-z0-9-]*'`,
    ),
    check("repair_orders_status", isRepairOrderStatus(table.status)),
    check("repair_orders_estimated_total_non_negative", sql`${table.estimatedTotalCents} >= 0`),
    index("repair_orders_status_idx").on(table.status),
  ],
);

export const repairOrderParts = sqliteTable(
  "repair_order_parts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    repairOrderId: text("repair_order_id")
      .notNull()
      .references(() => repairOrders.id),
    partNumber: text("part_number").notNull(),
    quantity: integer("quantity").notNull(),
    /** Null when the caller gave no price; such lines do not count towards the estimate. */
    unitPriceCents: integer("unit_price_cents"),
    /** The parts server's reservation that holds the stock, when there is one. */
    reservationId: text("reservation_id"),
    addedAt: integer("added_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    check("repair_order_parts_quantity_positive", sql`${table.quantity} > 0`),
    check("repair_order_parts_price_non_negative", sql`${table.unitPriceCents} IS NULL OR ${table.unitPriceCents} >= 0`),
    index("repair_order_parts_repair_order_idx").on(table.repairOrderId),
    // One reservation line is recorded once per repair order (NULL reservation ids never collide).
    uniqueIndex("repair_order_parts_reservation_line_unique").on(table.repairOrderId, table.reservationId, table.partNumber),
  ],
);

export const repairOrderStatusHistory = sqliteTable(
  "repair_order_status_history",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    repairOrderId: text("repair_order_id")
      .notNull()
      .references(() => repairOrders.id),
    /** Null for the entry that records the repair order's creation. */
    fromStatus: text("from_status", { enum: repairOrderStatuses }),
    toStatus: text("to_status", { enum: repairOrderStatuses }).notNull(),
    reason: text("reason"),
    changedAt: integer("changed_at", { mode: "timestamp_ms" }).notNull(),
    /** Position in the repair order's timeline, shared with its notes (see timelineSequence). */
    sequence: integer("sequence").notNull(),
  },
  (table) => [
    uniqueIndex("repair_order_status_history_sequence_unique").on(table.repairOrderId, table.sequence),
    check("repair_order_status_history_from", sql`${table.fromStatus} IS NULL OR ${isRepairOrderStatus(table.fromStatus)}`),
    check("repair_order_status_history_to", isRepairOrderStatus(table.toStatus)),
  ],
);

export const repairOrderNotes = sqliteTable(
  "repair_order_notes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    repairOrderId: text("repair_order_id")
      .notNull()
      .references(() => repairOrders.id),
    author: text("author").notNull(),
    text: text("text").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** Position in the repair order's timeline, shared with its status changes. */
    sequence: integer("sequence").notNull(),
  },
  (table) => [
    uniqueIndex("repair_order_notes_sequence_unique").on(table.repairOrderId, table.sequence),
  ],
);
