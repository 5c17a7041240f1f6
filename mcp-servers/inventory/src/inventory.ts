import { randomUUID } from "node:crypto";
import { and, asc, eq, gte, sql } from "drizzle-orm";
import { DomainError, runIdempotent } from "@switchyard/mcp-kit";
import { items, reservations, type ReservationStatus } from "./schema.js";
import type { InventoryDb } from "./database.js";

export interface ItemView {
  sku: string;
  name: string;
  description: string;
  price: number;
  currency: "USD";
  available: number;
  reserved: number;
  sold: number;
}

export interface ReservationView {
  reservation_id: string;
  sku: string;
  quantity: number;
  status: ReservationStatus;
  created_at: string;
  updated_at: string;
}

type ItemRow = typeof items.$inferSelect;
type ReservationRow = typeof reservations.$inferSelect;

function itemView(row: ItemRow): ItemView {
  return {
    sku: row.sku,
    name: row.name,
    description: row.description,
    price: row.priceCents / 100,
    currency: "USD",
    available: row.available,
    reserved: row.reserved,
    sold: row.sold,
  };
}

function reservationView(row: ReservationRow): ReservationView {
  return {
    reservation_id: row.id,
    sku: row.sku,
    quantity: row.quantity,
    status: row.status,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

function knownSkus(db: InventoryDb): string {
  return db
    .select({ sku: items.sku })
    .from(items)
    .orderBy(asc(items.sku))
    .all()
    .map((row) => row.sku)
    .join(", ");
}

function requireItem(db: InventoryDb, sku: string): ItemRow {
  const row = db.select().from(items).where(eq(items.sku, sku)).get();
  if (!row) {
    throw new DomainError("UNKNOWN_SKU", `Unknown sku "${sku}". Known skus: ${knownSkus(db)}.`, { sku });
  }
  return row;
}

function requireReservation(db: InventoryDb, reservationId: string): ReservationRow {
  const row = db.select().from(reservations).where(eq(reservations.id, reservationId)).get();
  if (!row) {
    throw new DomainError("UNKNOWN_RESERVATION", `Unknown reservation "${reservationId}".`, { reservation_id: reservationId });
  }
  return row;
}

export function listItems(db: InventoryDb): ItemView[] {
  return db.select().from(items).orderBy(asc(items.sku)).all().map(itemView);
}

export function getItem(db: InventoryDb, sku: string): ItemView {
  return itemView(requireItem(db, sku));
}

export function checkInventory(db: InventoryDb, sku: string, quantity: number) {
  const item = requireItem(db, sku);
  return {
    sku: item.sku,
    name: item.name,
    requested: quantity,
    available: item.available,
    sufficient: item.available >= quantity,
    unit_price: item.priceCents / 100,
  };
}

export function reserveStock(db: InventoryDb, input: { sku: string; quantity: number; idempotency_key?: string | undefined }) {
  return runIdempotent(db, "reserve_stock", input.idempotency_key, input, (tx) => {
    const item = requireItem(tx, input.sku);
    const now = new Date();
    // One conditional UPDATE: it only matches while enough stock is available, so
    // concurrent reservations can never take stock below zero.
    const update = tx
      .update(items)
      .set({
        available: sql`${items.available} - ${input.quantity}`,
        reserved: sql`${items.reserved} + ${input.quantity}`,
        updatedAt: now,
      })
      .where(and(eq(items.sku, input.sku), gte(items.available, input.quantity)))
      .run();
    if (update.changes === 0) {
      throw new DomainError(
        "OUT_OF_STOCK",
        `Out of stock: ${input.quantity} × ${input.sku} requested but only ${item.available} available.`,
        { sku: input.sku, requested: input.quantity, available: item.available },
      );
    }
    const id = `res_${randomUUID()}`;
    tx.insert(reservations).values({ id, sku: input.sku, quantity: input.quantity, status: "held", createdAt: now, updatedAt: now }).run();
    const after = requireItem(tx, input.sku);
    return { ...reservationView(requireReservation(tx, id)), remaining_available: after.available };
  });
}

export function releaseReservation(db: InventoryDb, reservationId: string) {
  return db.transaction(
    (tx) => {
      const reservation = requireReservation(tx, reservationId);
      if (reservation.status === "released") {
        return { ...reservationView(reservation), already_released: true };
      }
      const now = new Date();
      // A held reservation gives back reserved stock; a committed one returns sold stock.
      const fromColumn = reservation.status === "held" ? items.reserved : items.sold;
      const change =
        reservation.status === "held"
          ? { reserved: sql`${items.reserved} - ${reservation.quantity}` }
          : { sold: sql`${items.sold} - ${reservation.quantity}` };
      tx.update(items)
        .set({ ...change, available: sql`${items.available} + ${reservation.quantity}`, updatedAt: now })
        .where(and(eq(items.sku, reservation.sku), gte(fromColumn, reservation.quantity)))
        .run();
      tx.update(reservations).set({ status: "released", updatedAt: now }).where(eq(reservations.id, reservationId)).run();
      return { ...reservationView(requireReservation(tx, reservationId)), already_released: false };
    },
    { behavior: "immediate" },
  );
}

export function commitReservation(db: InventoryDb, reservationId: string) {
  return db.transaction(
    (tx) => {
      const reservation = requireReservation(tx, reservationId);
      if (reservation.status === "committed") return { ...reservationView(reservation), already_committed: true };
      if (reservation.status === "released") {
        throw new DomainError(
          "RESERVATION_RELEASED",
          `Reservation "${reservationId}" was released and can no longer be committed; reserve the stock again.`,
          { reservation_id: reservationId },
        );
      }
      const now = new Date();
      tx.update(items)
        .set({
          reserved: sql`${items.reserved} - ${reservation.quantity}`,
          sold: sql`${items.sold} + ${reservation.quantity}`,
          updatedAt: now,
        })
        .where(eq(items.sku, reservation.sku))
        .run();
      tx.update(reservations).set({ status: "committed", updatedAt: now }).where(eq(reservations.id, reservationId)).run();
      return { ...reservationView(requireReservation(tx, reservationId)), already_committed: false };
    },
    { behavior: "immediate" },
  );
}

export function getReservation(db: InventoryDb, reservationId: string): ReservationView {
  return reservationView(requireReservation(db, reservationId));
}

export function listReservations(db: InventoryDb, status?: ReservationStatus): ReservationView[] {
  const query = db.select().from(reservations);
  const rows = status ? query.where(eq(reservations.status, status)).all() : query.all();
  return rows.map(reservationView);
}

export function restock(db: InventoryDb, input: { sku: string; quantity: number; idempotency_key?: string | undefined }) {
  return runIdempotent(db, "restock", input.idempotency_key, input, (tx) => {
    requireItem(tx, input.sku);
    tx.update(items)
      .set({ available: sql`${items.available} + ${input.quantity}`, updatedAt: new Date() })
      .where(eq(items.sku, input.sku))
      .run();
    return { ...itemView(requireItem(tx, input.sku)), added: input.quantity };
  });
}
