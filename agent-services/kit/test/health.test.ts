import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInventoryAgent, type InventoryAgent } from "./support/inventory-agent.js";

describe("health probes", () => {
  let agent: InventoryAgent;

  beforeAll(async () => {
    agent = await createInventoryAgent({ start: false });
  });

  afterAll(async () => {
    await agent.close(true);
  });

  it("reports degraded and not ready before the MCP connection exists, but alive", async () => {
    const health = await agent.get("/health");
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "degraded", service: "inventory", version: "0.1.0", mcp: { reachable: false, url: "in-process" } });
    expect(typeof health.body.uptime_seconds).toBe("number");
    const ready = await agent.get("/health/ready");
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe("not_ready");
    expect((await agent.get("/health/live")).status).toBe(200);
  });

  it("reports ok and ready once started against a reachable MCP server", async () => {
    await agent.service.start();
    const health = await agent.get("/health");
    expect(health.body).toMatchObject({ status: "ok", mcp: { reachable: true, url: "in-process" } });
    expect(health.body.mcp.last_error).toBeUndefined();
    const ready = await agent.get("/health/ready");
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: "ready" });
    expect((await agent.get("/health/live")).body).toEqual({ status: "alive" });
  });

  it("is not ready once stopping, while staying alive", async () => {
    await agent.service.stop();
    expect((await agent.get("/health/ready")).status).toBe(503);
    expect((await agent.get("/health/live")).status).toBe(200);
  });
});
