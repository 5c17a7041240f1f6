import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import { DomainError, runIdempotent } from "@switchyard/mcp-kit";
import type { OrderDb } from "./database.js";
import { allowedTransitions, canTransition } from "./order-transitions.js";
import { orderEvents, orders, type OrderStatus } from "./schema.js";

export interface OrderView {
  order_id: string;
  sku: string;
  quantity: number;
  reservation_id: string;
  customer: string | null;
  status: OrderStatus;
  created_at: string;
  updated_at: string;
}

export interface OrderEventView {
  /** Null for the event that records the order's creation. */
  from: OrderStatus | null;
  to: OrderStatus;
  reason: string | null;
  at: string;
}

export interface OrderDetails extends OrderView {
  history: OrderEventView[];
}

export interface StatusChangeResult extends OrderDetails {
  previous_status: OrderStatus;
  /** False when the order already had the requested status (an idempotent no-op). */
  changed: boolean;
}

export interface CreateOrderInput {
  sku: string;
  quantity: number;
  reservation_id: string;
  customer?: string | undefined;
  idempotency_key?: string | undefined;
}

export interface ListOrdersFilter {
  status?: OrderStatus | undefined;
  limit?: number | undefined;
}

type OrderRow = typeof orders.$inferSelect;

const DEFAULT_LIST_LIMIT = 50;

function orderView(row: OrderRow): OrderView {
  return {
    order_id: row.id,
    sku: row.sku,
    quantity: row.quantity,
    reservation_id: row.reservationId,
    customer: row.customer,
    status: row.status,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

function orderHistory(db: OrderDb, orderId: string): OrderEventView[] {
  return db
    .select()
    .from(orderEvents)
    .where(eq(orderEvents.orderId, orderId))
    .orderBy(asc(orderEvents.id))
    .all()
    .map((event) => ({ from: event.fromStatus, to: event.toStatus, reason: event.reason, at: event.at.toISOString() }));
}

function orderDetails(db: OrderDb, row: OrderRow): OrderDetails {
  return { ...orderView(row), history: orderHistory(db, row.id) };
}

function requireOrder(db: OrderDb, orderId: string): OrderRow {
  const row = db.select().from(orders).where(eq(orders.id, orderId)).get();
  if (!row) {
    throw new DomainError("UNKNOWN_ORDER", `Unknown order "${orderId}". Order ids look like ORD-1A2B3C4D; list_orders shows the existing ones.`, {
      order_id: orderId,
    });
  }
  return row;
}

// 8 hex digits give 4 billion ids; a clash is rare enough that a few retries always suffice.
function newOrderId(db: OrderDb): string {
  for (let attempt = 0; attempt < 16; attempt += 1) {
    const id = `ORD-${randomBytes(4).toString("hex").toUpperCase()}`;
    if (!db.select({ id: orders.id }).from(orders).where(eq(orders.id, id)).get()) return id;
  }
  throw new Error("Could not find a free order id after 16 attempts");
}

function listOf(statuses: readonly OrderStatus[]): string {
  return statuses.join(", ");
}

function transitionError(order: OrderRow, to: OrderStatus): DomainError {
  const allowed = allowedTransitions[order.status];
  const details = { order_id: order.id, from: order.status, to, allowed_next_statuses: allowed };
  if (allowed.length === 0) {
    return new DomainError(
      "INVALID_STATUS_TRANSITION",
      `Order ${order.id} is ${order.status}, a final status, so it cannot become ${to}; no further status changes are possible.`,
      details,
    );
  }
  if (to === "cancelled") {
    return new DomainError(
      "INVALID_STATUS_TRANSITION",
      `Order ${order.id} has already ${order.status === "shipped" ? "shipped" : `reached ${order.status}`} and can no longer be cancelled. Allowed next statuses from ${order.status}: ${listOf(allowed)}.`,
      details,
    );
  }
  return new DomainError(
    "INVALID_STATUS_TRANSITION",
    `Order ${order.id} cannot go from ${order.status} to ${to}. Allowed next statuses from ${order.status}: ${listOf(allowed)}.`,
    details,
  );
}

/** Creates a pending order backed by a stock reservation; a reservation backs at most one live order. */
export function createOrder(db: OrderDb, input: CreateOrderInput): OrderView {
  return runIdempotent(db, "create_order", input.idempotency_key, { ...input }, (tx) => {
    const live = tx
      .select()
      .from(orders)
      .where(and(eq(orders.reservationId, input.reservation_id), ne(orders.status, "cancelled")))
      .get();
    if (live) {
      throw new DomainError(
        "RESERVATION_ALREADY_USED",
        `Reservation "${input.reservation_id}" already backs order ${live.id} (status ${live.status}); a reservation can back only one live order. Use get_order with ${live.id}, or reserve stock again for a new order.`,
        { reservation_id: input.reservation_id, order_id: live.id, status: live.status },
      );
    }
    const now = new Date();
    const id = newOrderId(tx);
    tx.insert(orders)
      .values({
        id,
        sku: input.sku,
        quantity: input.quantity,
        reservationId: input.reservation_id,
        customer: input.customer ?? null,
        status: "pending",
        createdAt: now,
        updatedAt: now,
      })
      .run();
    tx.insert(orderEvents).values({ orderId: id, fromStatus: null, toStatus: "pending", reason: "order created", at: now }).run();
    return orderView(requireOrder(tx, id));
  });
}

/** One order with its full status history, oldest event first. */
export function getOrder(db: OrderDb, orderId: string): OrderDetails {
  return orderDetails(db, requireOrder(db, orderId));
}

/** Orders newest first, optionally with one status. */
export function listOrders(db: OrderDb, filter: ListOrdersFilter = {}): OrderView[] {
  const query = db.select().from(orders);
  const filtered = filter.status ? query.where(eq(orders.status, filter.status)) : query;
  // rowid breaks ties between orders created in the same millisecond.
  return filtered
    .orderBy(desc(orders.createdAt), desc(sql`rowid`))
    .limit(filter.limit ?? DEFAULT_LIST_LIMIT)
    .all()
    .map(orderView);
}

/**
 * Moves an order to `to` when the transition is allowed and appends the change to its
 * history. Asking for the status it already has succeeds without a change.
 */
export function updateOrderStatus(db: OrderDb, orderId: string, to: OrderStatus, reason?: string): StatusChangeResult {
  return db.transaction(
    (tx) => {
      const order = requireOrder(tx, orderId);
      if (order.status === to) return { ...orderDetails(tx, order), previous_status: order.status, changed: false };
      if (!canTransition(order.status, to)) throw transitionError(order, to);
      const now = new Date();
      tx.update(orders)
        .set({ status: to, updatedAt: now })
        .where(and(eq(orders.id, orderId), eq(orders.status, order.status)))
        .run();
      tx.insert(orderEvents).values({ orderId, fromStatus: order.status, toStatus: to, reason: reason ?? null, at: now }).run();
      return { ...orderDetails(tx, requireOrder(tx, orderId)), previous_status: order.status, changed: true };
    },
    { behavior: "immediate" },
  );
}

/** Cancels a pending or confirmed order; the result carries `reservation_id` so the caller can release the stock. */
export function cancelOrder(db: OrderDb, orderId: string, reason?: string): StatusChangeResult {
  return updateOrderStatus(db, orderId, "cancelled", reason);
}
