import type { McpServerDefinition } from "@switchyard/mcp-kit";
import { openRepairOrdersDatabase, type RepairOrdersDatabase } from "./database.js";
import { createRepairOrdersServer, REPAIR_ORDERS_SERVER_VERSION } from "./server.js";

/** How the HTTP and stdio entries start the repair-orders server. */
export const repairOrdersServerDefinition: McpServerDefinition<RepairOrdersDatabase> = {
  name: "repair-orders",
  version: REPAIR_ORDERS_SERVER_VERSION,
  portVariable: "REPAIR_ORDERS_MCP_PORT",
  defaultPort: 3003,
  openDatabase: openRepairOrdersDatabase,
  createServer: createRepairOrdersServer,
};
