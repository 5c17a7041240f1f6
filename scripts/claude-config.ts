/**
 * Prints a claude_desktop_config.json that runs this checkout's MCP servers over stdio.
 * Paths are absolute because Claude Desktop starts servers from its own working directory.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const servers = ["inventory", "order", "payment", "parts", "repair-orders"] as const;
const root = fileURLToPath(new URL("..", import.meta.url));

const usage = `Usage: npm run claude-config -- [options]

Prints a Claude Desktop configuration (JSON) with one stdio entry per Switchyard MCP server.

Options:
  --data-dir <dir>     where the servers keep their SQLite files (default: $DATA_DIR or ./data of this checkout)
  --servers <a,b,...>  only these servers (default: all of ${servers.join(", ")})
  -h, --help           show this help

Copy the output into claude_desktop_config.json (macOS: ~/Library/Application Support/Claude/,
Windows: %APPDATA%\\Claude\\) and restart Claude Desktop.`;

function fail(message: string): never {
  process.stderr.write(`claude-config: ${message}\n\n${usage}\n`);
  process.exit(2);
}

let values: { "data-dir"?: string; servers?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      "data-dir": { type: "string" },
      servers: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

const dataDir = resolve(values["data-dir"] ?? process.env.DATA_DIR ?? resolve(root, "data"));
const chosen = values.servers ? values.servers.split(",").map((name) => name.trim()) : [...servers];
const unknown = chosen.filter((name) => !(servers as readonly string[]).includes(name));
if (unknown.length > 0) fail(`unknown server(s): ${unknown.join(", ")}; choose from ${servers.join(", ")}`);

// The tsx loader by absolute URL, so node finds it whatever the working directory.
const tsxLoader = import.meta.resolve("tsx");

const mcpServers: Record<string, { command: string; args: string[]; env: Record<string, string> }> = {};
for (const name of chosen) {
  const entry = resolve(root, "mcp-servers", name, "src", "stdio.ts");
  if (!existsSync(entry)) fail(`missing entry ${entry}`);
  mcpServers[`switchyard-${name}`] = {
    command: process.execPath,
    args: ["--import", tsxLoader, entry],
    env: { DATA_DIR: dataDir },
  };
}

process.stdout.write(`${JSON.stringify({ mcpServers }, null, 2)}\n`);
