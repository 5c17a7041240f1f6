import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { capabilitiesSchema, createAgentServiceFromDefinition, inProcessMcpTarget, type AgentService } from "@switchyard/agent-kit";
import { createPaymentServer, openPaymentDatabase, supportedCurrencies, type PaymentDatabase } from "@switchyard/payment-mcp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paymentAgentDefinition } from "../src/index.js";

describe("the payment agent definition", () => {
  let payments: PaymentDatabase;
  let service: AgentService;
  const execute = async (operation: string, parameters: Record<string, unknown>) => {
    const response = await service.app.request("/execute", { method: "POST", body: JSON.stringify({ request_id: operation, operation, parameters }) });
    return { status: response.status, body: (await response.json()) as { success: boolean; result: any; error?: { code: string } } };
  };

  beforeAll(async () => {
    payments = openPaymentDatabase(mkdtempSync(join(tmpdir(), "payment-agent-mcp-")));
    service = createAgentServiceFromDefinition(paymentAgentDefinition, {
      mcp: inProcessMcpTarget(() => createPaymentServer(payments)),
      dataDir: mkdtempSync(join(tmpdir(), "payment-agent-")),
      log: () => undefined,
    });
    await service.start();
  });

  afterAll(async () => {
    await service.stop();
    payments.close();
  });

  it("builds a service that lists the payment tools plus validate_payment_data", async () => {
    const capabilities = capabilitiesSchema.parse(await (await service.app.request("/capabilities")).json());
    expect(capabilities.service_name).toBe("payment");
    const names = capabilities.operations.map((op) => op.name);
    expect(names).toEqual(expect.arrayContaining(["create_payment_link", "check_payment_status", "process_refund", "cancel_payment_link"]));
    expect(names.at(-1)).toBe("validate_payment_data");
    const local = capabilities.operations.find((op) => op.name === "validate_payment_data")!;
    expect(local.kind).toBe("local");
    expect(local.input_schema).toMatchObject({ required: ["email", "amount", "currency"] });
    const compensations = Object.fromEntries(capabilities.operations.filter((op) => op.compensation).map((op) => [op.name, op.compensation]));
    expect(compensations).toEqual({ create_payment_link: "cancel_payment_link" });
  });

  it("validates with the currencies the payment server accepts", async () => {
    for (const currency of supportedCurrencies) {
      expect((await execute("validate_payment_data", { email: "jordan@example.com", amount: 189.5, currency })).body.result).toEqual({ valid: true, errors: [] });
    }
    const refused = await execute("validate_payment_data", { email: "jordan@example.com", amount: 189.5, currency: "JPY" });
    expect(refused.body.result.valid).toBe(false);
    // The server agrees: a link in an unsupported currency is refused before any effect.
    const link = await execute("create_payment_link", { invoice_number: "1234", amount: 189.5, currency: "JPY", customer_email: "jordan@example.com" });
    expect(link.status).toBe(400);
    expect(link.body.error?.code).toBe("INVALID_PARAMETERS");
  });
});
