/** Every status a repair order can be in, in the usual order of a job. */
export const repairOrderStatuses = [
  "pending",
  "scheduled",
  "in_progress",
  "parts_ordered",
  "quality_check",
  "customer_approval",
  "ready_for_pickup",
  "completed",
  "invoiced",
  "closed",
  "cancelled",
] as const;

export type RepairOrderStatus = (typeof repairOrderStatuses)[number];

/** The allowed next statuses from each status (a contract: the agent service reuses it). */
export const repairOrderTransitions: Record<RepairOrderStatus, RepairOrderStatus[]> = {
  pending: ["scheduled", "cancelled"],
  scheduled: ["in_progress", "cancelled"],
  in_progress: ["parts_ordered", "quality_check", "cancelled"],
  parts_ordered: ["in_progress", "cancelled"],
  quality_check: ["customer_approval", "in_progress"],
  customer_approval: ["ready_for_pickup", "in_progress"],
  ready_for_pickup: ["completed", "in_progress"],
  completed: ["invoiced"],
  invoiced: ["closed"],
  closed: [],
  cancelled: [],
};
// Shared with other packages in the same process: nobody may edit the contract at run time.
for (const next of Object.values(repairOrderTransitions)) Object.freeze(next);
Object.freeze(repairOrderTransitions);

/** Statuses in which work can still be done: parts added, a technician assigned. */
export const openRepairOrderStatuses: readonly RepairOrderStatus[] = repairOrderStatuses.filter(
  (status) => !["completed", "invoiced", "closed", "cancelled"].includes(status),
);

/** Whether the matrix allows moving from `from` to `to`. */
export function canTransition(from: RepairOrderStatus, to: RepairOrderStatus): boolean {
  return repairOrderTransitions[from].includes(to);
}
