import { asc, eq } from "drizzle-orm";
import { repairOrderTransitions, type RepairOrderStatus } from "./repair-order-status.js";
import { repairOrderNotes, repairOrderParts, repairOrders, repairOrderStatusHistory, technicians } from "./schema.js";
import { technicianView, type TechnicianView } from "./technicians.js";
import type { RepairOrdersDb } from "./database.js";

export type RepairOrderRow = typeof repairOrders.$inferSelect;

export interface VehicleView {
  make: string;
  model: string;
  year: number;
  vin: string | null;
}

export interface RepairOrderSummary {
  repair_order_id: string;
  customer_name: string;
  vehicle: VehicleView;
  description: string;
  status: RepairOrderStatus;
  technician_id: string | null;
  estimated_total: number;
  currency: "USD";
  created_at: string;
  updated_at: string;
}

export interface PartLineView {
  line_id: number;
  part_number: string;
  quantity: number;
  unit_price: number | null;
  line_total: number | null;
  reservation_id: string | null;
  added_at: string;
}

export interface NoteView {
  author: string;
  text: string;
  created_at: string;
}

export interface StatusChangeView {
  from_status: RepairOrderStatus | null;
  to_status: RepairOrderStatus;
  reason: string | null;
  changed_at: string;
}

export interface RepairOrderDetails extends RepairOrderSummary {
  customer_email: string;
  customer_phone: string | null;
  allowed_next_statuses: RepairOrderStatus[];
  technician: TechnicianView | null;
  parts: PartLineView[];
  notes: NoteView[];
  status_history: StatusChangeView[];
}

export type HistoryEntry =
  | ({ type: "status_change"; at: string } & Omit<StatusChangeView, "changed_at">)
  | ({ type: "note"; at: string } & Omit<NoteView, "created_at">);

export function repairOrderSummary(row: RepairOrderRow): RepairOrderSummary {
  return {
    repair_order_id: row.id,
    customer_name: row.customerName,
    vehicle: { make: row.vehicleMake, model: row.vehicleModel, year: row.vehicleYear, vin: row.vehicleVin },
    description: row.description,
    status: row.status,
    technician_id: row.technicianId,
    estimated_total: row.estimatedTotalCents / 100,
    currency: "USD",
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export type PartLineRow = typeof repairOrderParts.$inferSelect;

export function partLineRows(db: RepairOrdersDb, repairOrderId: string): PartLineRow[] {
  return db.select().from(repairOrderParts).where(eq(repairOrderParts.repairOrderId, repairOrderId)).orderBy(asc(repairOrderParts.id)).all();
}

export function partLineView(line: PartLineRow): PartLineView {
  return {
    line_id: line.id,
    part_number: line.partNumber,
    quantity: line.quantity,
    unit_price: line.unitPriceCents === null ? null : line.unitPriceCents / 100,
    line_total: line.unitPriceCents === null ? null : (line.quantity * line.unitPriceCents) / 100,
    reservation_id: line.reservationId,
    added_at: line.addedAt.toISOString(),
  };
}

function noteRows(db: RepairOrdersDb, repairOrderId: string) {
  return db
    .select()
    .from(repairOrderNotes)
    .where(eq(repairOrderNotes.repairOrderId, repairOrderId))
    .orderBy(asc(repairOrderNotes.sequence))
    .all();
}

function statusRows(db: RepairOrdersDb, repairOrderId: string) {
  return db
    .select()
    .from(repairOrderStatusHistory)
    .where(eq(repairOrderStatusHistory.repairOrderId, repairOrderId))
    .orderBy(asc(repairOrderStatusHistory.sequence))
    .all();
}

export function repairOrderDetails(db: RepairOrdersDb, row: RepairOrderRow): RepairOrderDetails {
  const technician = row.technicianId ? db.select().from(technicians).where(eq(technicians.id, row.technicianId)).get() : undefined;
  return {
    ...repairOrderSummary(row),
    customer_email: row.customerEmail,
    customer_phone: row.customerPhone,
    allowed_next_statuses: [...repairOrderTransitions[row.status]],
    technician: technician ? technicianView(technician) : null,
    parts: partLineRows(db, row.id).map(partLineView),
    notes: noteRows(db, row.id).map((note) => ({ author: note.author, text: note.text, created_at: note.createdAt.toISOString() })),
    status_history: statusRows(db, row.id).map((change) => ({
      from_status: change.fromStatus,
      to_status: change.toStatus,
      reason: change.reason,
      changed_at: change.changedAt.toISOString(),
    })),
  };
}

/** Status changes and notes in the order they happened. */
export function repairOrderHistory(db: RepairOrdersDb, repairOrderId: string): HistoryEntry[] {
  const entries: { sequence: number; entry: HistoryEntry }[] = [
    ...statusRows(db, repairOrderId).map((change) => ({
      sequence: change.sequence,
      entry: {
        type: "status_change" as const,
        at: change.changedAt.toISOString(),
        from_status: change.fromStatus,
        to_status: change.toStatus,
        reason: change.reason,
      },
    })),
    ...noteRows(db, repairOrderId).map((note) => ({
      sequence: note.sequence,
      entry: { type: "note" as const, at: note.createdAt.toISOString(), author: note.author, text: note.text },
    })),
  ];
  return entries.sort((a, b) => a.sequence - b.sequence).map((item) => item.entry);
}
