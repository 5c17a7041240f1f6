import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { capabilitiesSchema, createAgentServiceFromDefinition, inProcessMcpTarget, type AgentService } from "@switchyard/agent-kit";
import { createOrderServer, openOrderDatabase, type OrderDatabase } from "@switchyard/order-mcp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orderAgentDefinition } from "../src/index.js";

describe("the order agent definition", () => {
  let orders: OrderDatabase;
  let service: AgentService;

  beforeAll(async () => {
    orders = openOrderDatabase(mkdtempSync(join(tmpdir(), "order-agent-mcp-")));
    service = createAgentServiceFromDefinition(orderAgentDefinition, {
      mcp: inProcessMcpTarget(() => createOrderServer(orders)),
      dataDir: mkdtempSync(join(tmpdir(), "order-agent-")),
      log: () => undefined,
    });
    await service.start();
  });

  afterAll(async () => {
    await service.stop();
    orders.close();
  });

  it("builds a service that lists the order tools with create_order compensated by cancel_order", async () => {
    const capabilities = capabilitiesSchema.parse(await (await service.app.request("/capabilities")).json());
    expect(capabilities.service_name).toBe("order");
    expect(capabilities.operations.map((op) => op.name)).toEqual(["create_order", "get_order", "list_orders", "update_order_status", "cancel_order"]);
    expect(capabilities.operations.every((op) => op.kind === "mcp")).toBe(true);
    const compensations = Object.fromEntries(capabilities.operations.filter((op) => op.compensation).map((op) => [op.name, op.compensation]));
    expect(compensations).toEqual({ create_order: "cancel_order" });
  });

  it("lists orders through /execute", async () => {
    const response = await service.app.request("/execute", {
      method: "POST",
      body: JSON.stringify({ request_id: "list", operation: "list_orders", parameters: {} }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { success: boolean }).success).toBe(true);
  });
});
