import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

/**
 * Connects a server to stdin/stdout. Stdout carries the protocol alone, so every
 * log line goes to stderr; `onClose` runs when the client hangs up.
 */
export async function runStdio(server: McpServer, onClose: () => void): Promise<void> {
  const transport = new StdioServerTransport();
  transport.onclose = onClose;
  process.stdin.on("end", onClose);
  await server.connect(transport);
}
