import type { AgentServiceDefinition } from "@switchyard/agent-kit";

/** The order agent service: its MCP server and compensation. */
export const orderAgentDefinition: AgentServiceDefinition = {
  name: "order",
  version: "0.1.0",
  description: "Customer orders: create an order against a stock reservation, look orders up, move them through their statuses, and cancel them.",
  defaultPort: 8082,
  defaultMcpUrl: "http://127.0.0.1:3004/mcp",
  compensations: { create_order: "cancel_order" },
};
