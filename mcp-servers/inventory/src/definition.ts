import type { McpServerDefinition } from "@switchyard/mcp-kit";
import { openInventoryDatabase, type InventoryDatabase } from "./database.js";
import { createInventoryServer, INVENTORY_SERVER_VERSION } from "./server.js";

export const inventoryServerDefinition: McpServerDefinition<InventoryDatabase> = {
  name: "inventory",
  version: INVENTORY_SERVER_VERSION,
  portVariable: "INVENTORY_MCP_PORT",
  defaultPort: 3001,
  openDatabase: openInventoryDatabase,
  createServer: createInventoryServer,
};
