import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ToolCallCase } from "@switchyard/mcp-kit";
import { inventoryServerDefinition } from "@switchyard/inventory-mcp";
import { orderServerDefinition } from "@switchyard/order-mcp";
import { partsServerDefinition } from "@switchyard/parts-mcp";
import { paymentServerDefinition } from "@switchyard/payment-mcp";
import { repairOrdersServerDefinition } from "@switchyard/repair-orders-mcp";
import { toolCalls as inventoryCalls } from "../inventory/test/tool-calls.js";
import { toolCalls as orderCalls } from "../order/test/tool-calls.js";
import { toolCalls as partsCalls } from "../parts/test/tool-calls.js";
import { toolCalls as paymentCalls } from "../payment/test/tool-calls.js";
import { toolCalls as repairOrdersCalls } from "../repair-orders/test/tool-calls.js";

export interface ServerUnderTest {
  name: string;
  folder: string;
  portVariable: string;
  /** Opens a fresh database in `dataDir` and builds the server over it. */
  create(dataDir: string): { server: McpServer; close(): void };
  toolCalls: ToolCallCase[];
}

function entry<T extends { close(): void }>(
  folder: string,
  definition: { portVariable: string; name: string; openDatabase(dir: string): T; createServer(handle: T): McpServer },
  toolCalls: ToolCallCase[],
): ServerUnderTest {
  return {
    name: definition.name,
    folder,
    portVariable: definition.portVariable,
    create(dataDir) {
      const handle = definition.openDatabase(dataDir);
      return { server: definition.createServer(handle), close: () => handle.close() };
    },
    toolCalls,
  };
}

/** Every MCP server of the product, with a sample call for each of its tools. */
export const serversUnderTest: ServerUnderTest[] = [
  entry("inventory", inventoryServerDefinition, inventoryCalls),
  entry("order", orderServerDefinition, orderCalls),
  entry("payment", paymentServerDefinition, paymentCalls),
  entry("parts", partsServerDefinition, partsCalls),
  entry("repair-orders", repairOrdersServerDefinition, repairOrdersCalls),
];
