/**
 * The cost of each hop between the orchestrator and a domain function, measured on the same
 * read-only call (`check_inventory` of laptop), sequentially, one rung at a time.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { createInventoryServer, inventoryOperations, openInventoryDatabase } from "@switchyard/inventory-mcp";
import { connectInMemoryClient } from "@switchyard/mcp-kit";
import { median, percentile } from "./statistics.js";

/** One rung of the ladder. */
export interface HopFigure {
  rung: string;
  description: string;
  samples: number;
  p50_ms: number;
  p95_ms: number;
}

const args = { sku: "laptop", quantity: 1 };

async function measure(rung: string, description: string, samples: number, warmUp: number, call: (i: number) => Promise<void>): Promise<HopFigure> {
  for (let i = 0; i < warmUp; i += 1) await call(-1 - i);
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const started = performance.now();
    await call(i);
    times.push(performance.now() - started);
  }
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { rung, description, samples, p50_ms: round(median(times)), p95_ms: round(percentile(times, 95)) };
}

function checkResult(result: CallToolResult | Record<string, unknown>): void {
  if ((result as CallToolResult).isError) throw new Error(`check_inventory failed: ${JSON.stringify(result)}`);
}

/**
 * Measures, on a running stack: the agent service's `POST /execute` (HTTP to the agent, which
 * calls MCP over HTTP), a direct MCP `callTool` over Streamable HTTP, an MCP `callTool` over an
 * in-memory transport to the same server code in this process, and the domain function itself.
 */
export async function measureMcpHops(urls: { agent: string; mcp: string }, dataDir: string, samples: number, warmUp = 30): Promise<HopFigure[]> {
  const figures: HopFigure[] = [];
  figures.push(
    await measure("agent /execute", "HTTP POST to the inventory agent, which validates and calls the MCP server over Streamable HTTP", samples, warmUp, async (i) => {
      const response = await fetch(`${urls.agent}/execute`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ request_id: `hop-${i}`, operation: "check_inventory", parameters: args }),
      });
      const body = (await response.json()) as { success: boolean };
      if (!body.success) throw new Error(`agent /execute failed: ${JSON.stringify(body)}`);
    }),
  );

  const http = new Client({ name: "switchyard-bench", version: "0.1.0" });
  await http.connect(new StreamableHTTPClientTransport(new URL(urls.mcp)));
  try {
    figures.push(
      await measure("MCP callTool over HTTP", "SDK client straight to the inventory MCP server (Streamable HTTP, stateless)", samples, warmUp, async () =>
        checkResult(await http.callTool({ name: "check_inventory", arguments: args })),
      ),
    );
  } finally {
    await http.close();
  }

  const inventory = openInventoryDatabase(dataDir);
  const server = createInventoryServer(inventory);
  const memory = await connectInMemoryClient(server, "switchyard-bench");
  try {
    figures.push(
      await measure("MCP callTool in-process", "SDK client and server in this process over an in-memory transport, same database file", samples, warmUp, async () =>
        checkResult(await memory.callTool({ name: "check_inventory", arguments: args })),
      ),
    );
    figures.push(
      await measure("domain function in-process", "checkInventory on the same database file, called directly: no protocol, no validation", samples, warmUp, async () => {
        const result = inventoryOperations.checkInventory(inventory.db, args.sku, args.quantity);
        if (result.sku !== args.sku) throw new Error(`checkInventory answered for ${result.sku}`);
      }),
    );
  } finally {
    await memory.close();
    await server.close();
    inventory.close();
  }
  return figures;
}
