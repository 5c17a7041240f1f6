import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpReceiver, type HttpReceiver } from "./support/http-receiver.js";
import { repositoryRoot, spawnEntry, spawnInventoryMcp, type SpawnedEntry } from "./support/spawn-entry.js";

describe("runAgentEntry: the inventory agent as a real process", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "agent-kit-entry-"));
  let mcp: SpawnedEntry & { mcpUrl: string };
  let agent: SpawnedEntry;
  let registry: HttpReceiver;

  beforeAll(async () => {
    registry = await startHttpReceiver();
    mcp = await spawnInventoryMcp(dataDir);
    agent = await spawnEntry("agent-services/inventory/src/main.ts", {
      INVENTORY_AGENT_PORT: "0",
      INVENTORY_MCP_URL: mcp.mcpUrl,
      DATA_DIR: dataDir,
      REGISTRY_URL: registry.url,
      REGISTRY_TTL_SECONDS: "30",
    });
  });

  afterAll(async () => {
    await agent?.stop("SIGKILL");
    await mcp?.stop("SIGKILL");
    await registry?.close();
  });

  it("listens, is ready, executes, registers, and on SIGTERM deregisters and exits 0", async () => {
    expect(agent.stderr()).toMatch(/^\[inventory-agent\] listening on http:\/\/127\.0\.0\.1:\d+/m);
    const ready = await fetch(`${agent.url}/health/ready`);
    expect(ready.status).toBe(200);
    const executed = await fetch(`${agent.url}/execute`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ request_id: "e2e", operation: "reserve_stock", parameters: { sku: "laptop", quantity: 1 }, context: { idempotency_key: "e2e-1" } }),
    });
    expect(executed.status).toBe(200);
    expect(((await executed.json()) as { result: { remaining_available: number } }).result.remaining_available).toBe(9);

    const [registration] = await registry.waitFor(1, (request) => request.method === "POST");
    expect(registration!.body).toEqual({ service_name: "inventory", url: agent.url, ttl_seconds: 30 });

    const code = await agent.stop("SIGTERM");
    expect(code).toBe(0);
    const [deregistration] = await registry.waitFor(1, (request) => request.method === "DELETE");
    expect(deregistration!.body).toEqual({ service_name: "inventory", url: agent.url });
    expect(agent.stderr()).toContain("SIGTERM received, shutting down");
  });

  it("exits 1 with a clear message on a bad setting", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "agent-services/inventory/src/main.ts"], {
      cwd: repositoryRoot,
      env: { ...process.env, INVENTORY_AGENT_PORT: "not-a-port", DATA_DIR: dataDir },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/\[inventory-agent\] Invalid configuration: INVENTORY_AGENT_PORT/);
  });
});
