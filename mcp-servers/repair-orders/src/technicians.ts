import { asc, count, eq, inArray } from "drizzle-orm";
import { DomainError } from "@switchyard/mcp-kit";
import { openRepairOrderStatuses } from "./repair-order-status.js";
import { repairOrders, technicians } from "./schema.js";
import type { RepairOrdersDb } from "./database.js";

export interface TechnicianView {
  technician_id: string;
  name: string;
  specialty: string;
}

type TechnicianRow = typeof technicians.$inferSelect;

export function technicianView(row: TechnicianRow): TechnicianView {
  return { technician_id: row.id, name: row.name, specialty: row.specialty };
}

/** Loads one technician or fails with a message that lists every known one. */
export function requireTechnician(db: RepairOrdersDb, technicianId: string): TechnicianRow {
  const row = db.select().from(technicians).where(eq(technicians.id, technicianId)).get();
  if (!row) {
    const known = db.select().from(technicians).orderBy(asc(technicians.id)).all();
    throw new DomainError(
      "UNKNOWN_TECHNICIAN",
      `Unknown technician "${technicianId}". Known technicians: ${known.map((t) => `${t.id} (${t.name}, ${t.specialty})`).join("; ")}.`,
      { technician_id: technicianId, known_technician_ids: known.map((t) => t.id) },
    );
  }
  return row;
}

export function listTechnicians(db: RepairOrdersDb): (TechnicianView & { open_repair_orders: number })[] {
  const workload = new Map(
    db
      .select({ technicianId: repairOrders.technicianId, n: count() })
      .from(repairOrders)
      .where(inArray(repairOrders.status, [...openRepairOrderStatuses]))
      .groupBy(repairOrders.technicianId)
      .all()
      .map((row) => [row.technicianId, row.n]),
  );
  return db
    .select()
    .from(technicians)
    .orderBy(asc(technicians.id))
    .all()
    .map((row) => ({ ...technicianView(row), open_repair_orders: workload.get(row.id) ?? 0 }));
}
