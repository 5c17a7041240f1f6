import type { McpServerDefinition } from "@switchyard/mcp-kit";
import { openPartsDatabase, type PartsDatabase } from "./database.js";
import { createPartsServer, PARTS_SERVER_VERSION } from "./server.js";

/** How the HTTP and stdio entries start the parts server. */
export const partsServerDefinition: McpServerDefinition<PartsDatabase> = {
  name: "parts",
  version: PARTS_SERVER_VERSION,
  portVariable: "PARTS_MCP_PORT",
  defaultPort: 3005,
  openDatabase: openPartsDatabase,
  createServer: createPartsServer,
};
