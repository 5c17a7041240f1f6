import { and, asc, desc, eq, sql } from "drizzle-orm";
import { DomainError, runIdempotent } from "@switchyard/mcp-kit";
import {
  canTransition,
  openRepairOrderStatuses,
  repairOrderTransitions,
  type RepairOrderStatus,
} from "./repair-order-status.js";
import { repairOrderParts, repairOrders } from "./schema.js";
import { recordNote, recordStatusChange } from "./timeline.js";
import { requireTechnician, technicianView, type TechnicianView } from "./technicians.js";
import {
  partLineRows,
  partLineView,
  repairOrderDetails,
  repairOrderHistory,
  repairOrderSummary,
  type HistoryEntry,
  type PartLineView,
  type RepairOrderDetails,
  type RepairOrderRow,
  type RepairOrderSummary,
} from "./repair-order-views.js";
import type { RepairOrdersDb } from "./database.js";

export interface CreateRepairOrderInput {
  customer_name: string;
  customer_email: string;
  customer_phone?: string | undefined;
  vehicle: { make: string; model: string; year: number; vin?: string | undefined };
  description: string;
  idempotency_key?: string | undefined;
}

export interface AddPartInput {
  repair_order_id: string;
  part_number: string;
  quantity: number;
  unit_price?: number | undefined;
  reservation_id?: string | undefined;
  idempotency_key?: string | undefined;
}

export interface AddNoteInput {
  repair_order_id: string;
  note: string;
  author?: string | undefined;
  idempotency_key?: string | undefined;
}

/** Who a note is from when the caller does not say. */
export const DEFAULT_NOTE_AUTHOR = "service advisor";
const RECENT_IDS_SHOWN = 10;
const GENERATED_ID_PATTERN = "RO-[0-9][0-9][0-9][0-9][0-9][0-9]";
const MAX_GENERATED_NUMBER = 999_999;

function recentRepairOrderIds(db: RepairOrdersDb): string[] {
  return db
    .select({ id: repairOrders.id })
    .from(repairOrders)
    .orderBy(desc(repairOrders.updatedAt))
    .limit(RECENT_IDS_SHOWN)
    .all()
    .map((row) => row.id);
}

/** Loads one repair order or fails with a message that lists recent ids. */
export function requireRepairOrder(db: RepairOrdersDb, repairOrderId: string): RepairOrderRow {
  const row = db.select().from(repairOrders).where(eq(repairOrders.id, repairOrderId)).get();
  if (!row) {
    throw new DomainError(
      "UNKNOWN_REPAIR_ORDER",
      `Unknown repair order "${repairOrderId}". Use list_repair_orders to find one; recently updated repair orders: ${recentRepairOrderIds(db).join(", ")}.`,
      { repair_order_id: repairOrderId },
    );
  }
  return row;
}

function requireOpen(row: RepairOrderRow, action: string): void {
  if (!openRepairOrderStatuses.includes(row.status)) {
    throw new DomainError(
      "REPAIR_ORDER_NOT_OPEN",
      `Repair order ${row.id} is ${row.status}, so it no longer accepts changes: ${action} is only possible while it is ${openRepairOrderStatuses.join(", ")}.`,
      { repair_order_id: row.id, status: row.status },
    );
  }
}

function nextRepairOrderId(db: RepairOrdersDb): string {
  // Fixed-width numbers sort as text, so the greatest id holds the greatest number.
  const last = db
    .select({ id: repairOrders.id })
    .from(repairOrders)
    .where(sql`${repairOrders.id} GLOB ${GENERATED_ID_PATTERN}`)
    .orderBy(desc(repairOrders.id))
    .limit(1)
    .get();
  const next = last ? Number(last.id.slice(3)) + 1 : 1;
  if (next > MAX_GENERATED_NUMBER) {
    throw new DomainError("REPAIR_ORDER_IDS_EXHAUSTED", "Every repair order number from RO-000001 to RO-999999 is taken; no new repair order can be created.");
  }
  return `RO-${String(next).padStart(6, "0")}`;
}

/** Money in the API has at most two decimals; the database keeps integer cents. */
function toCents(amount: number, field: string): number {
  const cents = Math.round(amount * 100);
  if (Math.abs(cents - amount * 100) > 1e-6) {
    throw new DomainError("INVALID_AMOUNT", `${field} must have at most two decimals (a whole number of cents), got ${amount}.`, { [field]: amount });
  }
  return cents;
}

export function createRepairOrder(db: RepairOrdersDb, input: CreateRepairOrderInput): RepairOrderDetails {
  return runIdempotent(db, "create_repair_order", input.idempotency_key, { ...input }, (tx) => {
    const id = nextRepairOrderId(tx);
    const now = new Date();
    tx.insert(repairOrders)
      .values({
        id,
        customerName: input.customer_name,
        customerEmail: input.customer_email,
        customerPhone: input.customer_phone ?? null,
        vehicleMake: input.vehicle.make,
        vehicleModel: input.vehicle.model,
        vehicleYear: input.vehicle.year,
        vehicleVin: input.vehicle.vin ?? null,
        description: input.description,
        status: "pending",
        createdAt: now,
        updatedAt: now,
      })
      .run();
    recordStatusChange(tx, { repairOrderId: id, fromStatus: null, toStatus: "pending", reason: "Repair order created", at: now });
    return repairOrderDetails(tx, requireRepairOrder(tx, id));
  });
}

export function getRepairOrderDetails(db: RepairOrdersDb, repairOrderId: string): RepairOrderDetails {
  return repairOrderDetails(db, requireRepairOrder(db, repairOrderId));
}

export function listRepairOrders(db: RepairOrdersDb, status?: RepairOrderStatus): RepairOrderSummary[] {
  const query = db.select().from(repairOrders);
  const filtered = status ? query.where(eq(repairOrders.status, status)) : query;
  return filtered.orderBy(asc(repairOrders.createdAt), asc(repairOrders.id)).all().map(repairOrderSummary);
}

export function updateRepairOrderStatus(
  db: RepairOrdersDb,
  input: { repair_order_id: string; status: RepairOrderStatus; reason?: string | undefined },
) {
  return db.transaction(
    (tx) => {
      const row = requireRepairOrder(tx, input.repair_order_id);
      const from = row.status;
      const to = input.status;
      if (from === to) {
        // Asking for the current status again is a retry, not a mistake.
        return { repair_order_id: row.id, previous_status: from, status: to, changed: false, allowed_next_statuses: [...repairOrderTransitions[to]], updated_at: row.updatedAt.toISOString() };
      }
      if (!canTransition(from, to)) {
        const allowed = repairOrderTransitions[from];
        throw new DomainError(
          "INVALID_STATUS_TRANSITION",
          allowed.length === 0
            ? `Cannot move repair order ${row.id} from ${from} to ${to}: ${from} is a final status, so no further status change is possible.`
            : `Cannot move repair order ${row.id} from ${from} to ${to}. Its current status is ${from}; allowed next statuses: ${allowed.join(", ")}.`,
          { repair_order_id: row.id, current_status: from, requested_status: to, allowed_next_statuses: [...allowed] },
        );
      }
      const now = new Date();
      const update = tx
        .update(repairOrders)
        .set({ status: to, updatedAt: now })
        .where(and(eq(repairOrders.id, row.id), eq(repairOrders.status, from)))
        .run();
      if (update.changes !== 1) throw new Error(`Repair order ${row.id} changed status while the transaction held the write lock`);
      recordStatusChange(tx, { repairOrderId: row.id, fromStatus: from, toStatus: to, reason: input.reason ?? null, at: now });
      return { repair_order_id: row.id, previous_status: from, status: to, changed: true, allowed_next_statuses: [...repairOrderTransitions[to]], updated_at: now.toISOString() };
    },
    { behavior: "immediate" },
  );
}

export function assignTechnician(
  db: RepairOrdersDb,
  input: { repair_order_id: string; technician_id: string },
): { repair_order_id: string; technician: TechnicianView; previous_technician_id: string | null; changed: boolean } {
  return db.transaction(
    (tx) => {
      const row = requireRepairOrder(tx, input.repair_order_id);
      const technician = requireTechnician(tx, input.technician_id);
      requireOpen(row, "assigning a technician");
      const changed = row.technicianId !== technician.id;
      if (changed) {
        const now = new Date();
        tx.update(repairOrders).set({ technicianId: technician.id, updatedAt: now }).where(eq(repairOrders.id, row.id)).run();
        // Assignments have no table of their own; a note keeps them in the repair order's history.
        recordNote(tx, {
          repairOrderId: row.id,
          author: "system",
          text: row.technicianId
            ? `Technician changed from ${row.technicianId} to ${technician.id} (${technician.name}).`
            : `Technician assigned: ${technician.id} (${technician.name}).`,
          at: now,
        });
      }
      return { repair_order_id: row.id, technician: technicianView(technician), previous_technician_id: row.technicianId, changed };
    },
    { behavior: "immediate" },
  );
}

export function addRepairNote(db: RepairOrdersDb, input: AddNoteInput) {
  return runIdempotent(db, "add_repair_notes", input.idempotency_key, { ...input }, (tx) => {
    const row = requireRepairOrder(tx, input.repair_order_id);
    const now = new Date();
    const author = input.author ?? DEFAULT_NOTE_AUTHOR;
    recordNote(tx, { repairOrderId: row.id, author, text: input.note, at: now });
    tx.update(repairOrders).set({ updatedAt: now }).where(eq(repairOrders.id, row.id)).run();
    return { repair_order_id: row.id, note: { author, text: input.note, created_at: now.toISOString() } };
  });
}

export function getRepairHistory(db: RepairOrdersDb, repairOrderId: string): { repair_order_id: string; status: RepairOrderStatus; history: HistoryEntry[] } {
  const row = requireRepairOrder(db, repairOrderId);
  return { repair_order_id: row.id, status: row.status, history: repairOrderHistory(db, row.id) };
}

export function addPartToRepairOrder(
  db: RepairOrdersDb,
  input: AddPartInput,
): { repair_order_id: string; status: RepairOrderStatus; line: PartLineView; parts: PartLineView[]; estimated_total: number; currency: "USD" } {
  const unitPriceCents = input.unit_price === undefined ? null : toCents(input.unit_price, "unit_price");
  return runIdempotent(db, "add_part_to_repair_order", input.idempotency_key, { ...input }, (tx) => {
    const row = requireRepairOrder(tx, input.repair_order_id);
    requireOpen(row, "adding parts");
    if (input.reservation_id !== undefined) {
      const existing = tx
        .select({ id: repairOrderParts.id })
        .from(repairOrderParts)
        .where(
          and(
            eq(repairOrderParts.repairOrderId, row.id),
            eq(repairOrderParts.partNumber, input.part_number),
            eq(repairOrderParts.reservationId, input.reservation_id),
          ),
        )
        .get();
      if (existing) {
        throw new DomainError(
          "PART_ALREADY_RECORDED",
          `Part ${input.part_number} from reservation ${input.reservation_id} is already recorded on repair order ${row.id}; a reservation line is recorded once.`,
          { repair_order_id: row.id, part_number: input.part_number, reservation_id: input.reservation_id },
        );
      }
    }
    const now = new Date();
    const inserted = tx
      .insert(repairOrderParts)
      .values({
        repairOrderId: row.id,
        partNumber: input.part_number,
        quantity: input.quantity,
        unitPriceCents,
        reservationId: input.reservation_id ?? null,
        addedAt: now,
      })
      .returning({ id: repairOrderParts.id })
      .get();
    const lines = partLineRows(tx, row.id);
    const line = lines.find((candidate) => candidate.id === inserted.id);
    if (!line) throw new Error(`The part line just added to repair order ${row.id} could not be read back`);
    // Recomputed from every priced line (under the write lock), so the estimate cannot drift.
    const estimatedCents = lines.reduce((sum, candidate) => sum + (candidate.unitPriceCents ?? 0) * candidate.quantity, 0);
    tx.update(repairOrders).set({ estimatedTotalCents: estimatedCents, updatedAt: now }).where(eq(repairOrders.id, row.id)).run();
    return { repair_order_id: row.id, status: row.status, line: partLineView(line), parts: lines.map(partLineView), estimated_total: estimatedCents / 100, currency: "USD" as const };
  });
}
