import type { McpServerDefinition } from "@switchyard/mcp-kit";
import { openOrderDatabase, type OrderDatabase } from "./database.js";
import { createOrderServer, ORDER_SERVER_VERSION } from "./server.js";

/** How the HTTP and stdio entries start the order server. */
export const orderServerDefinition: McpServerDefinition<OrderDatabase> = {
  name: "order",
  version: ORDER_SERVER_VERSION,
  portVariable: "ORDER_MCP_PORT",
  defaultPort: 3004,
  openDatabase: openOrderDatabase,
  createServer: createOrderServer,
};
