import { z } from "zod";
import { defineLocalOperation, type LocalOperation } from "../local-operation.js";

/** Allowed next statuses per status; every status is a key (final ones map to []). */
export type TransitionMatrix = Readonly<Record<string, readonly string[]>>;

/**
 * `validate_repair_order_transition {from, to}` → `{valid, allowed_next}` over the given matrix.
 * The repair-orders agent passes `repairOrderTransitions` from `@switchyard/repair-orders-mcp`,
 * so the check and the server that enforces it share one matrix.
 */
export function createValidateRepairOrderTransition(transitions: TransitionMatrix): LocalOperation {
  const statuses = Object.keys(transitions);
  const [first, ...rest] = statuses;
  if (first === undefined) throw new Error("createValidateRepairOrderTransition needs a matrix with at least one status");
  for (const [from, targets] of Object.entries(transitions)) {
    const unknown = targets.filter((to) => !(to in transitions));
    if (unknown.length > 0) throw new Error(`transition matrix: ${from} -> ${unknown.join(", ")} names unknown statuses`);
  }
  const status = z.enum([first, ...rest]);
  return defineLocalOperation({
    description:
      "Check whether a repair order may move from one status to another, and list the statuses allowed next. Use it before changing a repair order's status to avoid a rejected transition.",
    input: z.object({
      from: status.describe("Current status of the repair order"),
      to: status.describe("Status it should move to"),
    }),
    output: z.object({ valid: z.boolean(), allowed_next: z.array(status) }),
    handler: ({ from, to }) => {
      const allowed = transitions[from] ?? [];
      return { valid: allowed.includes(to), allowed_next: [...allowed] };
    },
  });
}
