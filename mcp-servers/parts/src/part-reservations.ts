import { randomBytes } from "node:crypto";
import { and, asc, eq, gte, sql } from "drizzle-orm";
import { DomainError, runIdempotent } from "@switchyard/mcp-kit";
import { partReservationLines, partReservations, parts, type PartReservationStatus } from "./schema.js";
import { requireParts } from "./parts-catalogue.js";
import type { PartsDb } from "./database.js";

export interface ReservationLineView {
  part_number: string;
  name: string;
  quantity: number;
  unit_price: number;
  line_total: number;
}

export interface PartReservationView {
  reservation_id: string;
  repair_order_id: string;
  status: PartReservationStatus;
  lines: ReservationLineView[];
  total_price: number;
  created_at: string;
  updated_at: string;
}

export interface ReservePartsInput {
  part_numbers: string[];
  repair_order_id: string;
  /** Units per part number; parts not named here get 1. */
  quantity_map?: Record<string, number> | undefined;
  idempotency_key?: string | undefined;
}

interface RequestedLine {
  partNumber: string;
  quantity: number;
}

type ReservationRow = typeof partReservations.$inferSelect;

function requireReservation(db: PartsDb, reservationId: string): ReservationRow {
  const row = db.select().from(partReservations).where(eq(partReservations.id, reservationId)).get();
  if (!row) {
    throw new DomainError(
      "UNKNOWN_RESERVATION",
      `Unknown part reservation "${reservationId}". Reservation ids look like PRS-1a2b3c4d and are returned by reserve_parts.`,
      { reservation_id: reservationId },
    );
  }
  return row;
}

function reservationView(db: PartsDb, row: ReservationRow): PartReservationView {
  const lines = db
    .select({ line: partReservationLines, name: parts.name })
    .from(partReservationLines)
    .innerJoin(parts, eq(parts.partNumber, partReservationLines.partNumber))
    .where(eq(partReservationLines.reservationId, row.id))
    .orderBy(asc(partReservationLines.partNumber))
    .all();
  const totalCents = lines.reduce((sum, { line }) => sum + line.quantity * line.unitPriceCents, 0);
  return {
    reservation_id: row.id,
    repair_order_id: row.repairOrderId,
    status: row.status,
    lines: lines.map(({ line, name }) => ({
      part_number: line.partNumber,
      name,
      quantity: line.quantity,
      unit_price: line.unitPriceCents / 100,
      line_total: (line.quantity * line.unitPriceCents) / 100,
    })),
    total_price: totalCents / 100,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** Checks the request's shape rules that a JSON schema cannot express. */
function requestedLines(input: ReservePartsInput): RequestedLine[] {
  const duplicates = input.part_numbers.filter((partNumber, index) => input.part_numbers.indexOf(partNumber) !== index);
  if (duplicates.length > 0) {
    throw new DomainError(
      "DUPLICATE_PART_NUMBER",
      `part_numbers lists ${[...new Set(duplicates)].join(", ")} more than once; list each part once and put the number of units in quantity_map.`,
      { duplicate_part_numbers: [...new Set(duplicates)] },
    );
  }
  const quantityMap = input.quantity_map ?? {};
  const strayKeys = Object.keys(quantityMap).filter((partNumber) => !input.part_numbers.includes(partNumber));
  if (strayKeys.length > 0) {
    throw new DomainError(
      "QUANTITY_FOR_UNLISTED_PART",
      `quantity_map names ${strayKeys.join(", ")}, which ${strayKeys.length > 1 ? "are" : "is"} not in part_numbers (${input.part_numbers.join(", ")}); every quantity_map key must also be listed in part_numbers.`,
      { unlisted_part_numbers: strayKeys },
    );
  }
  return input.part_numbers.map((partNumber) => ({ partNumber, quantity: quantityMap[partNumber] ?? 1 }));
}

function newReservationId(db: PartsDb): string {
  for (;;) {
    const id = `PRS-${randomBytes(4).toString("hex")}`;
    if (!db.select({ id: partReservations.id }).from(partReservations).where(eq(partReservations.id, id)).get()) return id;
  }
}

/**
 * Reserves every requested line or none: one IMMEDIATE transaction, one conditional
 * UPDATE per line, and a rollback listing each short line when any of them is short.
 */
export function reserveParts(db: PartsDb, input: ReservePartsInput): PartReservationView {
  const lines = requestedLines(input);
  // The key guards the meaning of the request: the same lines in another order, or a
  // quantity of 1 spelled out instead of defaulted, are the same request.
  const request = {
    repair_order_id: input.repair_order_id,
    lines: [...lines].sort((a, b) => (a.partNumber < b.partNumber ? -1 : 1)),
  };
  return runIdempotent(db, "reserve_parts", input.idempotency_key, request, (tx) => {
    const known = requireParts(tx, lines.map((line) => line.partNumber));
    const now = new Date();
    const short: { part_number: string; requested: number; available: number }[] = [];
    for (const line of lines) {
      // Matches only while enough is available, so concurrent callers can never oversell.
      const update = tx
        .update(parts)
        .set({
          available: sql`${parts.available} - ${line.quantity}`,
          reserved: sql`${parts.reserved} + ${line.quantity}`,
          updatedAt: now,
        })
        .where(and(eq(parts.partNumber, line.partNumber), gte(parts.available, line.quantity)))
        .run();
      if (update.changes === 0) {
        const current = tx.select({ available: parts.available }).from(parts).where(eq(parts.partNumber, line.partNumber)).get();
        short.push({ part_number: line.partNumber, requested: line.quantity, available: current?.available ?? 0 });
      }
    }
    if (short.length > 0) {
      // Throwing rolls back the lines that did fit: all or nothing.
      throw new DomainError(
        "INSUFFICIENT_STOCK",
        `Not enough stock, so nothing was reserved: ${short
          .map((line) => `${line.part_number} needs ${line.requested}, ${line.available} available`)
          .join("; ")}. Reserve fewer units, or use get_alternative_parts to find substitutes.`,
        { short_lines: short },
      );
    }
    const id = newReservationId(tx);
    tx.insert(partReservations).values({ id, repairOrderId: input.repair_order_id, status: "held", createdAt: now, updatedAt: now }).run();
    tx.insert(partReservationLines)
      .values(
        lines.map((line) => {
          const part = known.get(line.partNumber);
          if (!part) throw new Error(`Part ${line.partNumber} vanished while its reservation was being written`);
          return { reservationId: id, partNumber: line.partNumber, quantity: line.quantity, unitPriceCents: part.priceCents };
        }),
      )
      .run();
    return reservationView(tx, requireReservation(tx, id));
  });
}

function lineRows(db: PartsDb, reservationId: string) {
  return db.select().from(partReservationLines).where(eq(partReservationLines.reservationId, reservationId)).all();
}

/** Gives a held reservation's units back to available stock; releasing twice is harmless. */
export function releaseParts(db: PartsDb, reservationId: string): PartReservationView & { already_released: boolean } {
  return db.transaction(
    (tx) => {
      const reservation = requireReservation(tx, reservationId);
      if (reservation.status === "released") return { ...reservationView(tx, reservation), already_released: true };
      if (reservation.status === "consumed") {
        throw new DomainError(
          "RESERVATION_CONSUMED",
          `Reservation "${reservationId}" was consumed (its parts were fitted to repair order ${reservation.repairOrderId}), so it cannot be released.`,
          { reservation_id: reservationId },
        );
      }
      const now = new Date();
      for (const line of lineRows(tx, reservationId)) {
        const update = tx
          .update(parts)
          .set({
            available: sql`${parts.available} + ${line.quantity}`,
            reserved: sql`${parts.reserved} - ${line.quantity}`,
            updatedAt: now,
          })
          .where(and(eq(parts.partNumber, line.partNumber), gte(parts.reserved, line.quantity)))
          .run();
        if (update.changes === 0) {
          throw new Error(`Stock of ${line.partNumber} holds fewer reserved units than reservation ${reservationId}; refusing to release.`);
        }
      }
      tx.update(partReservations).set({ status: "released", updatedAt: now }).where(eq(partReservations.id, reservationId)).run();
      return { ...reservationView(tx, requireReservation(tx, reservationId)), already_released: false };
    },
    { behavior: "immediate" },
  );
}

/** Marks a held reservation's parts as fitted: the reserved units leave stock for good. */
export function consumeParts(db: PartsDb, reservationId: string): PartReservationView & { already_consumed: boolean } {
  return db.transaction(
    (tx) => {
      const reservation = requireReservation(tx, reservationId);
      if (reservation.status === "consumed") return { ...reservationView(tx, reservation), already_consumed: true };
      if (reservation.status === "released") {
        throw new DomainError(
          "RESERVATION_RELEASED",
          `Reservation "${reservationId}" was released, so its parts are back in stock and cannot be consumed; reserve the parts again with reserve_parts.`,
          { reservation_id: reservationId },
        );
      }
      const now = new Date();
      for (const line of lineRows(tx, reservationId)) {
        const update = tx
          .update(parts)
          .set({ reserved: sql`${parts.reserved} - ${line.quantity}`, updatedAt: now })
          .where(and(eq(parts.partNumber, line.partNumber), gte(parts.reserved, line.quantity)))
          .run();
        if (update.changes === 0) {
          throw new Error(`Stock of ${line.partNumber} holds fewer reserved units than reservation ${reservationId}; refusing to consume.`);
        }
      }
      tx.update(partReservations).set({ status: "consumed", updatedAt: now }).where(eq(partReservations.id, reservationId)).run();
      return { ...reservationView(tx, requireReservation(tx, reservationId)), already_consumed: false };
    },
    { behavior: "immediate" },
  );
}
