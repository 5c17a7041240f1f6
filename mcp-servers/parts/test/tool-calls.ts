import type { ToolCallCase } from "@switchyard/mcp-kit";

/** A run through every parts tool that succeeds on a freshly seeded database. */
export const toolCalls: ToolCallCase[] = [
  { tool: "search_parts", args: { query: "brake", make: "Toyota", model: "Camry", year: 2020 } },
  { tool: "check_part_availability", args: { part_number: "1234", quantity: 2 } },
  { tool: "get_part_details", args: { part_number: "1234" } },
  { tool: "check_vehicle_compatibility", args: { part_number: "1234", make: "Toyota", model: "Camry", year: 2020 } },
  { tool: "get_alternative_parts", args: { part_number: "1234" } },
  {
    tool: "reserve_parts",
    args: { part_numbers: ["1234", "BR-2210"], repair_order_id: "1234", quantity_map: { "BR-2210": 2 }, idempotency_key: "tool-calls-1" },
  },
  { tool: "consume_parts", args: (p) => ({ reservation_id: p.reserve_parts!.reservation_id }) },
  { name: "reserve_parts_to_release", tool: "reserve_parts", args: { part_numbers: ["OF-1010"], repair_order_id: "1234", idempotency_key: "tool-calls-2" } },
  { tool: "release_parts", args: (p) => ({ reservation_id: p.reserve_parts_to_release!.reservation_id }) },
];
