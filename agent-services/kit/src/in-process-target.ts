import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { McpTarget } from "./mcp-connection.js";

/**
 * An MCP target served in the same process: every (re)connect gets a fresh server from
 * `createServer`, linked through InMemoryTransport. For tests and embedded use.
 */
export function inProcessMcpTarget(createServer: () => McpServer, label = "in-process"): McpTarget {
  return {
    label,
    connect: async () => {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await createServer().connect(serverSide);
      return clientSide;
    },
  };
}
