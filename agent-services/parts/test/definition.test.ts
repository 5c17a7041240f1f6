import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { capabilitiesSchema, createAgentServiceFromDefinition, inProcessMcpTarget, type AgentService } from "@switchyard/agent-kit";
import { createPartsServer, openPartsDatabase, PART_NUMBER_PATTERN, type PartsDatabase } from "@switchyard/parts-mcp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { partsAgentDefinition } from "../src/index.js";

describe("the parts agent definition", () => {
  let parts: PartsDatabase;
  let service: AgentService;
  const execute = async (operation: string, parameters: Record<string, unknown>) => {
    const response = await service.app.request("/execute", { method: "POST", body: JSON.stringify({ request_id: operation, operation, parameters }) });
    return { status: response.status, body: (await response.json()) as { success: boolean; result: any } };
  };

  beforeAll(async () => {
    parts = openPartsDatabase(mkdtempSync(join(tmpdir(), "parts-agent-mcp-")));
    service = createAgentServiceFromDefinition(partsAgentDefinition, {
      mcp: inProcessMcpTarget(() => createPartsServer(parts)),
      dataDir: mkdtempSync(join(tmpdir(), "parts-agent-")),
      log: () => undefined,
    });
    await service.start();
  });

  afterAll(async () => {
    await service.stop();
    parts.close();
  });

  it("builds a service that lists the parts tools plus validate_part_number", async () => {
    const capabilities = capabilitiesSchema.parse(await (await service.app.request("/capabilities")).json());
    expect(capabilities.service_name).toBe("parts");
    const names = capabilities.operations.map((op) => op.name);
    expect(names).toEqual(expect.arrayContaining(["search_parts", "check_part_availability", "reserve_parts", "release_parts", "consume_parts"]));
    expect(names.at(-1)).toBe("validate_part_number");
    const compensations = Object.fromEntries(capabilities.operations.filter((op) => op.compensation).map((op) => [op.name, op.compensation]));
    expect(compensations).toEqual({ reserve_parts: "release_parts" });
  });

  it("accepts exactly the part numbers the parts server accepts", async () => {
    for (const candidate of ["1234", "bp-4471", "BR-2210", "ab", "A".repeat(21), "BP_4471", "OF 1010", "---"]) {
      const { result } = (await execute("validate_part_number", { part_number: candidate })).body;
      expect(result.valid).toBe(PART_NUMBER_PATTERN.test(candidate.trim().toUpperCase()));
    }
    const details = await execute("get_part_details", { part_number: "1234" });
    expect(details.status).toBe(200);
    expect(details.body.result).toMatchObject({ part_number: "1234" });
  });
});
