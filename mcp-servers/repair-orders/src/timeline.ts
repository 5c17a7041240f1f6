import { eq, max } from "drizzle-orm";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import type { RepairOrderStatus } from "./repair-order-status.js";
import * as schema from "./schema.js";

type Db = BetterSQLite3Database<typeof schema>;

/**
 * The next position in a repair order's timeline. Status changes and notes share one
 * numbering, so their order survives equal timestamps; callers hold the write lock
 * (an IMMEDIATE transaction), so two writers never draw the same number.
 */
function nextTimelineSequence(db: Db, repairOrderId: string): number {
  const lastChange = db
    .select({ last: max(schema.repairOrderStatusHistory.sequence) })
    .from(schema.repairOrderStatusHistory)
    .where(eq(schema.repairOrderStatusHistory.repairOrderId, repairOrderId))
    .get();
  const lastNote = db
    .select({ last: max(schema.repairOrderNotes.sequence) })
    .from(schema.repairOrderNotes)
    .where(eq(schema.repairOrderNotes.repairOrderId, repairOrderId))
    .get();
  return Math.max(lastChange?.last ?? 0, lastNote?.last ?? 0) + 1;
}

/** Appends a status change to a repair order's timeline. */
export function recordStatusChange(
  db: Db,
  change: { repairOrderId: string; fromStatus: RepairOrderStatus | null; toStatus: RepairOrderStatus; reason: string | null; at: Date },
): void {
  db.insert(schema.repairOrderStatusHistory)
    .values({
      repairOrderId: change.repairOrderId,
      fromStatus: change.fromStatus,
      toStatus: change.toStatus,
      reason: change.reason,
      changedAt: change.at,
      sequence: nextTimelineSequence(db, change.repairOrderId),
    })
    .run();
}

/** Appends a note to a repair order's timeline. */
export function recordNote(db: Db, note: { repairOrderId: string; author: string; text: string; at: Date }): void {
  db.insert(schema.repairOrderNotes)
    .values({
      repairOrderId: note.repairOrderId,
      author: note.author,
      text: note.text,
      createdAt: note.at,
      sequence: nextTimelineSequence(db, note.repairOrderId),
    })
    .run();
}
