import { createValidateRepairOrderTransition, type AgentServiceDefinition } from "@switchyard/agent-kit";
import { repairOrderTransitions } from "@switchyard/repair-orders-mcp";

/** The repair-orders agent service: its MCP server and local transition check. */
export const repairOrdersAgentDefinition: AgentServiceDefinition = {
  name: "repair-orders",
  version: "0.1.0",
  description:
    "Workshop repair orders: create them, check a status transition before making it, update the status, assign technicians, add notes and parts, and read the history.",
  defaultPort: 8084,
  defaultMcpUrl: "http://127.0.0.1:3003/mcp",
  // The matrix the repair-orders server enforces, so the local check and the server agree.
  localOperations: { validate_repair_order_transition: createValidateRepairOrderTransition(repairOrderTransitions) },
};
