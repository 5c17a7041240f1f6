import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { capabilitiesSchema, createAgentServiceFromDefinition, inProcessMcpTarget, type AgentService } from "@switchyard/agent-kit";
import { createInventoryServer, openInventoryDatabase, type InventoryDatabase } from "@switchyard/inventory-mcp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inventoryAgentDefinition } from "../src/index.js";

describe("the inventory agent definition", () => {
  let inventory: InventoryDatabase;
  let service: AgentService;

  beforeAll(async () => {
    inventory = openInventoryDatabase(mkdtempSync(join(tmpdir(), "inventory-agent-mcp-")));
    service = createAgentServiceFromDefinition(inventoryAgentDefinition, {
      mcp: inProcessMcpTarget(() => createInventoryServer(inventory)),
      dataDir: mkdtempSync(join(tmpdir(), "inventory-agent-")),
      log: () => undefined,
    });
    await service.start();
  });

  afterAll(async () => {
    await service.stop();
    inventory.close();
  });

  it("builds a service that lists the inventory tools with the reservation compensation", async () => {
    const response = await service.app.request("/capabilities");
    expect(response.status).toBe(200);
    const capabilities = capabilitiesSchema.parse(await response.json());
    expect(capabilities.service_name).toBe("inventory");
    expect(capabilities.operations.map((op) => op.name)).toEqual([
      "list_items",
      "check_inventory",
      "reserve_stock",
      "release_reservation",
      "commit_reservation",
      "get_reservation",
      "list_reservations",
      "restock",
    ]);
    const compensations = Object.fromEntries(capabilities.operations.filter((op) => op.compensation).map((op) => [op.name, op.compensation]));
    expect(compensations).toEqual({ reserve_stock: "release_reservation" });
  });

  it("checks the seeded laptop stock through /execute", async () => {
    const response = await service.app.request("/execute", {
      method: "POST",
      body: JSON.stringify({ request_id: "seed", operation: "check_inventory", parameters: { sku: "laptop", quantity: 10 } }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { result: unknown }).result).toMatchObject({ sku: "laptop", available: 10, sufficient: true });
  });
});
