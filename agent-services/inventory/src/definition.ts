import type { AgentServiceDefinition } from "@switchyard/agent-kit";

/** The inventory agent service: its MCP server and compensation. */
export const inventoryAgentDefinition: AgentServiceDefinition = {
  name: "inventory",
  version: "0.1.0",
  description: "Retail stock: list items, check availability, reserve stock before an order, then commit or release the reservation, and restock.",
  defaultPort: 8081,
  defaultMcpUrl: "http://127.0.0.1:3001/mcp",
  compensations: { reserve_stock: "release_reservation" },
};
