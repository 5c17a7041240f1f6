import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAgentService,
  createValidatePaymentData,
  createValidateRepairOrderTransition,
  validatePartNumber,
  type AgentService,
} from "../src/index.js";
import { answer, fastLimits } from "./support/inventory-agent.js";

const matrix = {
  pending: ["scheduled", "cancelled"],
  scheduled: ["in_progress", "cancelled"],
  in_progress: ["cancelled"],
  cancelled: [],
};

describe("the kit's local validation operations over /execute", () => {
  let service: AgentService;
  const run = async (operation: string, parameters: unknown) =>
    answer(await service.app.request("/execute", { method: "POST", body: JSON.stringify({ request_id: operation, operation, parameters }) }));

  beforeAll(() => {
    // No MCP server at all: local operations never need one.
    service = createAgentService({
      serviceName: "validation",
      version: "0.0.0",
      description: "Validation only",
      mcp: { url: "http://127.0.0.1:9/mcp" },
      localOperations: {
        validate_payment_data: createValidatePaymentData(["USD", "EUR", "GBP"]),
        validate_part_number: validatePartNumber,
        validate_repair_order_transition: createValidateRepairOrderTransition(matrix),
      },
      dataDir: mkdtempSync(join(tmpdir(), "agent-kit-validation-")),
      limits: fastLimits,
      log: () => undefined,
    });
  });

  afterAll(async () => {
    await service.stop();
  });

  it("accepts good payment data", async () => {
    for (const amount of [1299.99, 0.01, 42, 189.5]) {
      const { status, body } = await run("validate_payment_data", { email: "jane.doe@example.co.uk", amount, currency: "EUR" });
      expect(status).toBe(200);
      expect(body.result).toEqual({ valid: true, errors: [] });
    }
  });

  it("reports every payment problem at once", async () => {
    const { status, body } = await run("validate_payment_data", { email: "jane@", amount: 10.005, currency: "usd" });
    expect(status).toBe(200);
    expect(body.result.valid).toBe(false);
    expect(body.result.errors).toEqual([
      { field: "email", message: expect.stringContaining("not a valid email") },
      { field: "amount", message: "must have at most 2 decimal places" },
      { field: "currency", message: expect.stringContaining('write it as "USD"') },
    ]);
    for (const [amount, message] of [
      [0, "must be greater than 0"],
      [-5, "must be greater than 0"],
      [0.1 + 0.2, "must have at most 2 decimal places"],
      [1e-7, "must have at most 2 decimal places"],
    ] as const) {
      const result = (await run("validate_payment_data", { email: "a@b.io", amount, currency: "USD" })).body.result;
      expect(result).toEqual({ valid: false, errors: [{ field: "amount", message }] });
    }
    const jpy = (await run("validate_payment_data", { email: "a@b.io", amount: 100, currency: "JPY" })).body.result;
    expect(jpy.errors).toEqual([{ field: "currency", message: '"JPY" is not a supported currency; use one of USD, EUR, GBP' }]);
  });

  it("refuses payment parameters of the wrong type with 400 and field paths", async () => {
    const { status, body } = await run("validate_payment_data", { email: "a@b.io", amount: "12.00" });
    expect(status).toBe(400);
    expect(body.error.code).toBe("INVALID_PARAMETERS");
    expect(body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["amount", "currency"]);
  });

  it("normalizes valid part numbers and explains invalid ones", async () => {
    expect((await run("validate_part_number", { part_number: " bp-4471 " })).body.result).toEqual({ valid: true, normalized: "BP-4471", errors: [] });
    expect((await run("validate_part_number", { part_number: "1234" })).body.result).toEqual({ valid: true, normalized: "1234", errors: [] });
    const short = (await run("validate_part_number", { part_number: "ab" })).body.result;
    expect(short).toEqual({ valid: false, normalized: null, errors: ["must be 3 to 20 characters long (got 2)"] });
    const symbols = (await run("validate_part_number", { part_number: "BP_44 71!" })).body.result;
    expect(symbols.valid).toBe(false);
    expect(symbols.errors).toEqual([expect.stringContaining('"_", " ", "!"')]);
    const long = (await run("validate_part_number", { part_number: "A".repeat(21) })).body.result;
    expect(long.valid).toBe(false);
  });

  it("checks repair-order transitions against the matrix", async () => {
    expect((await run("validate_repair_order_transition", { from: "pending", to: "scheduled" })).body.result).toEqual({
      valid: true,
      allowed_next: ["scheduled", "cancelled"],
    });
    expect((await run("validate_repair_order_transition", { from: "pending", to: "in_progress" })).body.result).toEqual({
      valid: false,
      allowed_next: ["scheduled", "cancelled"],
    });
    expect((await run("validate_repair_order_transition", { from: "cancelled", to: "pending" })).body.result).toEqual({ valid: false, allowed_next: [] });
  });

  it("refuses an unknown status with 400 naming the allowed ones", async () => {
    const { status, body } = await run("validate_repair_order_transition", { from: "teleported", to: "pending" });
    expect(status).toBe(400);
    expect(body.error.details).toEqual([{ path: "from", message: expect.stringContaining('"pending"') }]);
  });

  it("refuses inconsistent factory inputs at build time", () => {
    expect(() => createValidateRepairOrderTransition({ a: ["b"] })).toThrow(/unknown statuses/);
    expect(() => createValidateRepairOrderTransition({})).toThrow(/at least one status/);
    expect(() => createValidatePaymentData(["usd"])).toThrow(/ISO 4217/);
  });
});
