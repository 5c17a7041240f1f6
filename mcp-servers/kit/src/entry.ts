import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { loadMcpServerConfig } from "./config.js";
import { createMcpHttpApp, listen } from "./http-transport.js";
import { runStdio } from "./stdio-transport.js";

/** What an entry point needs to know about one MCP server package. */
export interface McpServerDefinition<THandle extends { close(): void }> {
  /** Short name, e.g. `inventory`; also used in log lines. */
  name: string;
  version: string;
  /** Environment variable that overrides the HTTP port, e.g. `INVENTORY_MCP_PORT`. */
  portVariable: string;
  defaultPort: number;
  openDatabase(dataDir: string): THandle;
  createServer(handle: THandle): McpServer;
}

function log(name: string, message: string): void {
  process.stderr.write(`[${name}-mcp] ${message}\n`);
}

function fail(name: string, error: unknown): never {
  log(name, error instanceof Error ? error.message : String(error));
  process.exit(1);
}

/** Starts the Streamable HTTP entry: `/mcp` and `/health` on the configured host and port. */
export async function runHttpEntry<THandle extends { close(): void }>(definition: McpServerDefinition<THandle>): Promise<void> {
  try {
    const config = loadMcpServerConfig(definition.portVariable, definition.defaultPort);
    const handle = definition.openDatabase(config.dataDir);
    const app = createMcpHttpApp({
      name: definition.name,
      version: definition.version,
      createServer: () => definition.createServer(handle),
      authToken: config.authToken,
      allowedOrigins: config.allowedOrigins,
    });
    const server = await listen(app, config.host, config.port);
    log(definition.name, `listening on ${server.url}/mcp (data in ${config.dataDir})`);
    const shutdown = () => {
      void server.close().then(() => {
        handle.close();
        process.exit(0);
      });
    };
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
  } catch (error) {
    fail(definition.name, error);
  }
}

/** Starts the stdio entry used by Claude Desktop and MCP Inspector. */
export async function runStdioEntry<THandle extends { close(): void }>(definition: McpServerDefinition<THandle>): Promise<void> {
  try {
    const config = loadMcpServerConfig(definition.portVariable, definition.defaultPort);
    const handle = definition.openDatabase(config.dataDir);
    const server = definition.createServer(handle);
    let closed = false;
    await runStdio(server, () => {
      if (closed) return;
      closed = true;
      handle.close();
      process.exit(0);
    });
    log(definition.name, `serving MCP over stdio (data in ${config.dataDir})`);
  } catch (error) {
    fail(definition.name, error);
  }
}
