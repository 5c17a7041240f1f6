import type { ToolCallCase } from "@switchyard/mcp-kit";

/** A run through every inventory tool that succeeds on a freshly seeded database. */
export const toolCalls: ToolCallCase[] = [
  { tool: "list_items", args: {} },
  { tool: "check_inventory", args: { sku: "laptop", quantity: 2 } },
  { tool: "reserve_stock", args: { sku: "laptop", quantity: 2, idempotency_key: "tool-calls-1" } },
  { tool: "get_reservation", args: (p) => ({ reservation_id: p.reserve_stock!.reservation_id }) },
  { tool: "list_reservations", args: { status: "held" } },
  { tool: "commit_reservation", args: (p) => ({ reservation_id: p.reserve_stock!.reservation_id }) },
  { tool: "release_reservation", args: (p) => ({ reservation_id: p.reserve_stock!.reservation_id }) },
  { tool: "restock", args: { sku: "mouse", quantity: 5 } },
];
