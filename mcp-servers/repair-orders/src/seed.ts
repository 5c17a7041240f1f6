import { count } from "drizzle-orm";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import type { RepairOrderStatus } from "./repair-order-status.js";
import * as schema from "./schema.js";
import { recordNote, recordStatusChange } from "./timeline.js";

/** The technicians a fresh database starts with. */
export const seedTechnicians = [
  { id: "TECH-01", name: "Avery Morgan", specialty: "brakes and suspension" },
  { id: "TECH-02", name: "Sam Patel", specialty: "engine and diagnostics" },
  { id: "TECH-03", name: "Riley Chen", specialty: "electrical and maintenance" },
] as const;

const HOUR = 3_600_000;

interface SeedRepairOrder {
  row: Omit<typeof schema.repairOrders.$inferInsert, "createdAt" | "updatedAt" | "status">;
  /** Status path from creation, each step with how many hours ago it happened. */
  path: { status: RepairOrderStatus; hoursAgo: number; reason: string }[];
  parts: { partNumber: string; quantity: number; unitPriceCents: number; hoursAgo: number }[];
  notes: { author: string; text: string; hoursAgo: number }[];
}

// RO 1234 is the one the seed's automotive request ("Add part 1234 to RO 1234") works on.
const seedRepairOrders: SeedRepairOrder[] = [
  {
    row: {
      id: "1234",
      customerName: "Jordan Lee",
      customerEmail: "jordan.lee@example.com",
      customerPhone: "+1 555 0100",
      vehicleMake: "Toyota",
      vehicleModel: "Camry",
      vehicleYear: 2020,
      vehicleVin: "4T1B11HK5LU000001",
      description: "Grinding noise from the front brakes when stopping",
      technicianId: "TECH-01",
    },
    path: [
      { status: "pending", hoursAgo: 50, reason: "Repair order created" },
      { status: "scheduled", hoursAgo: 48, reason: "Booked for the next morning" },
      { status: "in_progress", hoursAgo: 3, reason: "Vehicle on the lift" },
    ],
    parts: [],
    notes: [{ author: "Avery Morgan", text: "Front pads worn to 2 mm; rotors within spec. Replace the front brake pads.", hoursAgo: 2 }],
  },
  {
    row: {
      id: "RO-000101",
      customerName: "Maria Garcia",
      customerEmail: "maria.garcia@example.com",
      customerPhone: null,
      vehicleMake: "Honda",
      vehicleModel: "Accord",
      vehicleYear: 2019,
      vehicleVin: null,
      description: "60,000-mile service: oil and filter change, spark plugs",
      technicianId: null,
    },
    path: [
      { status: "pending", hoursAgo: 30, reason: "Repair order created" },
      { status: "scheduled", hoursAgo: 29, reason: "Booked for Friday" },
    ],
    parts: [],
    notes: [],
  },
  {
    row: {
      id: "RO-000102",
      customerName: "Chris Novak",
      customerEmail: "chris.novak@example.com",
      customerPhone: "+1 555 0142",
      vehicleMake: "Toyota",
      vehicleModel: "Camry",
      vehicleYear: 2018,
      vehicleVin: null,
      description: "Replace wiper blades and cabin air filter",
      technicianId: "TECH-03",
    },
    path: [
      { status: "pending", hoursAgo: 80, reason: "Repair order created" },
      { status: "scheduled", hoursAgo: 79, reason: "Walk-in" },
      { status: "in_progress", hoursAgo: 78, reason: "Started" },
      { status: "quality_check", hoursAgo: 77, reason: "Work done" },
      { status: "customer_approval", hoursAgo: 76.5, reason: "Checked" },
      { status: "ready_for_pickup", hoursAgo: 76, reason: "Customer approved" },
      { status: "completed", hoursAgo: 72, reason: "Picked up" },
    ],
    parts: [
      { partNumber: "WB-2616", quantity: 1, unitPriceCents: 3_299, hoursAgo: 78 },
      { partNumber: "CF-5510", quantity: 1, unitPriceCents: 1_599, hoursAgo: 78 },
    ],
    notes: [{ author: "Riley Chen", text: "Cabin filter was clogged with leaves; replaced.", hoursAgo: 77.5 }],
  },
];

/** Fills an empty database with technicians and a few repair orders; a used one is left alone. */
export function seedRepairOrdersDatabase(db: BetterSQLite3Database<typeof schema>): void {
  db.transaction(
    (tx) => {
      const existing = tx.select({ n: count() }).from(schema.repairOrders).get();
      if ((existing?.n ?? 0) > 0) return;
      const now = Date.now();
      const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR);
      tx.insert(schema.technicians).values([...seedTechnicians]).onConflictDoNothing().run();
      for (const order of seedRepairOrders) {
        const first = order.path[0];
        const last = order.path[order.path.length - 1];
        if (!first || !last) throw new Error(`Seed repair order ${order.row.id} has no status path`);
        const estimated = order.parts.reduce((sum, part) => sum + part.quantity * part.unitPriceCents, 0);
        tx.insert(schema.repairOrders)
          .values({ ...order.row, status: last.status, estimatedTotalCents: estimated, createdAt: at(first.hoursAgo), updatedAt: at(last.hoursAgo) })
          .run();
        for (const part of order.parts) {
          tx.insert(schema.repairOrderParts)
            .values({ repairOrderId: order.row.id, partNumber: part.partNumber, quantity: part.quantity, unitPriceCents: part.unitPriceCents, addedAt: at(part.hoursAgo) })
            .run();
        }
        // Oldest first, so that timeline sequence numbers follow time.
        const changes = order.path.map((step, index) => ({
          hoursAgo: step.hoursAgo,
          write: () =>
            recordStatusChange(tx, {
              repairOrderId: order.row.id,
              fromStatus: index === 0 ? null : (order.path[index - 1]?.status ?? null),
              toStatus: step.status,
              reason: step.reason,
              at: at(step.hoursAgo),
            }),
        }));
        const notes = order.notes.map((note) => ({
          hoursAgo: note.hoursAgo,
          write: () => recordNote(tx, { repairOrderId: order.row.id, author: note.author, text: note.text, at: at(note.hoursAgo) }),
        }));
        const events = [...changes, ...notes];
        for (const event of events.sort((a, b) => b.hoursAgo - a.hoursAgo)) event.write();
      }
    },
    { behavior: "immediate" },
  );
}
