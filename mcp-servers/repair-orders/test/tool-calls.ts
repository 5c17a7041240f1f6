import type { ToolCallCase } from "@switchyard/mcp-kit";

/** A run through every repair-orders tool that succeeds on a freshly seeded database. */
export const toolCalls: ToolCallCase[] = [
  { tool: "list_technicians", args: {} },
  { tool: "list_repair_orders", args: { status: "in_progress" } },
  { tool: "get_repair_order_details", args: { repair_order_id: "1234" } },
  {
    tool: "create_repair_order",
    args: {
      customer_name: "Alex Kim",
      customer_email: "alex.kim@example.com",
      customer_phone: "+1 555 0199",
      vehicle: { make: "Honda", model: "Civic", year: 2017, vin: "2HGFC2F59HH000001" },
      description: "Check engine light on",
      idempotency_key: "tool-calls-1",
    },
  },
  { tool: "assign_technician", args: (p) => ({ repair_order_id: p.create_repair_order!.repair_order_id, technician_id: "TECH-02" }) },
  { tool: "add_repair_notes", args: { repair_order_id: "1234", note: "Customer approved front pad replacement by phone.", author: "Avery Morgan" } },
  {
    tool: "add_part_to_repair_order",
    args: { repair_order_id: "1234", part_number: "1234", quantity: 1, unit_price: 89.99, idempotency_key: "tool-calls-2" },
  },
  { tool: "update_repair_order_status", args: { repair_order_id: "1234", status: "quality_check", reason: "Pads fitted" } },
  { tool: "get_repair_history", args: { repair_order_id: "1234" } },
];
