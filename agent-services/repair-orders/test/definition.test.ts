import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { capabilitiesSchema, createAgentServiceFromDefinition, inProcessMcpTarget, type AgentService } from "@switchyard/agent-kit";
import {
  createRepairOrdersServer,
  openRepairOrdersDatabase,
  repairOrderStatuses,
  repairOrderTransitions,
  type RepairOrdersDatabase,
} from "@switchyard/repair-orders-mcp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repairOrdersAgentDefinition } from "../src/index.js";

describe("the repair-orders agent definition", () => {
  let repairOrders: RepairOrdersDatabase;
  let service: AgentService;
  const execute = async (operation: string, parameters: Record<string, unknown>) => {
    const response = await service.app.request("/execute", { method: "POST", body: JSON.stringify({ request_id: operation, operation, parameters }) });
    return { status: response.status, body: (await response.json()) as { success: boolean; result: any } };
  };

  beforeAll(async () => {
    repairOrders = openRepairOrdersDatabase(mkdtempSync(join(tmpdir(), "repair-orders-agent-mcp-")));
    service = createAgentServiceFromDefinition(repairOrdersAgentDefinition, {
      mcp: inProcessMcpTarget(() => createRepairOrdersServer(repairOrders)),
      dataDir: mkdtempSync(join(tmpdir(), "repair-orders-agent-")),
      log: () => undefined,
    });
    await service.start();
  });

  afterAll(async () => {
    await service.stop();
    repairOrders.close();
  });

  it("builds a service that lists the repair-order tools plus validate_repair_order_transition", async () => {
    const capabilities = capabilitiesSchema.parse(await (await service.app.request("/capabilities")).json());
    expect(capabilities.service_name).toBe("repair-orders");
    const names = capabilities.operations.map((op) => op.name);
    expect(names).toEqual(expect.arrayContaining(["create_repair_order", "update_repair_order_status", "get_repair_order_details"]));
    expect(names.at(-1)).toBe("validate_repair_order_transition");
    const local = capabilities.operations.find((op) => op.name === "validate_repair_order_transition")!;
    expect((local.input_schema as { properties: { from: { enum: string[] } } }).properties.from.enum).toEqual([...repairOrderStatuses]);
  });

  it("answers every transition exactly as the server's matrix says", async () => {
    for (const from of repairOrderStatuses) {
      for (const to of repairOrderStatuses) {
        const { result } = (await execute("validate_repair_order_transition", { from, to })).body;
        expect(result).toEqual({ valid: repairOrderTransitions[from].includes(to), allowed_next: repairOrderTransitions[from] });
      }
    }
    // The seeded RO 1234 is in progress; the check and the server agree on a forbidden move.
    expect((await execute("validate_repair_order_transition", { from: "in_progress", to: "completed" })).body.result.valid).toBe(false);
    const refused = await execute("update_repair_order_status", { repair_order_id: "1234", status: "completed" });
    expect(refused.status).toBe(422);
  });
});
