import { orderSchema, type OrderDatabase } from "../src/index.js";

/** Every order row, to assert what a call wrote (or that it wrote nothing). */
export function orderRows(database: OrderDatabase) {
  return database.db.select().from(orderSchema.orders).all();
}

/** Every status-history row. */
export function eventRows(database: OrderDatabase) {
  return database.db.select().from(orderSchema.orderEvents).all();
}

/** Every stored idempotency key. */
export function idempotencyRows(database: OrderDatabase) {
  return database.db.select().from(orderSchema.idempotencyKeys).all();
}
