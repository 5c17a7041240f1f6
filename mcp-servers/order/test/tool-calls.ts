import type { ToolCallCase } from "@switchyard/mcp-kit";

/** A run through every order tool that succeeds on a fresh database. */
export const toolCalls: ToolCallCase[] = [
  {
    tool: "create_order",
    args: { sku: "laptop", quantity: 2, reservation_id: "res_tool-calls-1", customer: "Ada Lovelace", idempotency_key: "tool-calls-order-1" },
  },
  { tool: "get_order", args: (p) => ({ order_id: p.create_order!.order_id }) },
  { tool: "list_orders", args: { status: "pending" } },
  { tool: "update_order_status", args: (p) => ({ order_id: p.create_order!.order_id, status: "confirmed", reason: "payment received" }) },
  { tool: "cancel_order", args: (p) => ({ order_id: p.create_order!.order_id, reason: "customer changed their mind" }) },
];
