import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentService, type AgentService } from "../src/index.js";
import { answer, fastLimits } from "./support/inventory-agent.js";
import { spawnInventoryMcp, type SpawnedEntry } from "./support/spawn-entry.js";

describe("reconnecting to a restarted MCP server (real HTTP entry as a child process)", () => {
  const mcpDataDir = mkdtempSync(join(tmpdir(), "agent-kit-reconnect-mcp-"));
  let mcp: SpawnedEntry & { mcpUrl: string; port: number };
  let service: AgentService;

  const execute = async (requestId: string) =>
    answer(
      await service.app.request("/execute", {
        method: "POST",
        body: JSON.stringify({ request_id: requestId, operation: "check_inventory", parameters: { sku: "laptop", quantity: 1 } }),
      }),
    );

  beforeAll(async () => {
    mcp = await spawnInventoryMcp(mcpDataDir);
    service = createAgentService({
      serviceName: "inventory",
      version: "0.1.0",
      description: "Retail stock",
      mcp: { url: mcp.mcpUrl },
      dataDir: mkdtempSync(join(tmpdir(), "agent-kit-reconnect-")),
      limits: { ...fastLimits, retries: 2, retryMinDelayMs: 50, retryMaxDelayMs: 200 },
      log: () => undefined,
    });
    await service.start();
  });

  afterAll(async () => {
    await service?.stop();
    await mcp?.stop("SIGKILL");
  });

  it("calls, loses the server, answers 503 while it is down, and succeeds again after it restarts on the same port", async () => {
    const first = await execute("before");
    expect(first.status).toBe(200);
    expect(first.body.result).toMatchObject({ sku: "laptop", sufficient: true });
    expect(service.diagnostics().connections).toBe(1);

    await mcp.stop("SIGKILL");
    const down = await execute("while-down");
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe("MCP_UNAVAILABLE");
    expect(down.body.metadata.attempts).toBe(3);
    const health = await answer(await service.app.request("/health"));
    expect(health.body).toMatchObject({ status: "degraded", mcp: { reachable: false, url: mcp.mcpUrl } });

    mcp = await spawnInventoryMcp(mcpDataDir, mcp.port);
    const after = await execute("after");
    expect(after.status).toBe(200);
    expect(after.body.result).toMatchObject({ sku: "laptop", sufficient: true });
    expect(service.diagnostics().connections).toBe(2);
    expect((await answer(await service.app.request("/health"))).body.status).toBe("ok");
  });

  // The stateless server keeps no session, so either the same client carries on over a new
  // socket or a failed first attempt drops it and reconnects; the caller sees a success.
  it("serves the first call after a restart between two calls", async () => {
    expect((await execute("warm")).status).toBe(200);
    await mcp.stop("SIGKILL");
    mcp = await spawnInventoryMcp(mcpDataDir, mcp.port);
    const next = await execute("right-after-restart");
    expect(next.status).toBe(200);
    expect(next.body.result.sku).toBe("laptop");
  });
});
