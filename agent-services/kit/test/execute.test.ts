import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inventorySchema } from "@switchyard/inventory-mcp";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { agentServiceResponseSchema, createAgentService, defineLocalOperation } from "../src/index.js";
import { answer, createInventoryAgent, fastLimits, type InventoryAgent } from "./support/inventory-agent.js";

const { items, reservations } = inventorySchema;

describe("POST /execute against the real inventory MCP server", () => {
  let agent: InventoryAgent;

  const stock = (sku: string) => agent.inventory.db.select().from(items).where(eq(items.sku, sku)).get()!;
  const reservationCount = () => agent.inventory.db.select().from(reservations).all().length;

  beforeAll(async () => {
    agent = await createInventoryAgent({
      withTestTools: true,
      localOperations: {
        slow_local: defineLocalOperation({
          description: "Waits, then answers (test operation)",
          input: z.object({ delay_ms: z.number().int().min(0) }),
          output: z.object({ waited: z.number() }),
          handler: ({ delay_ms }, { signal }) =>
            new Promise((resolve) => {
              const timer = setTimeout(() => resolve({ waited: delay_ms }), delay_ms);
              signal.addEventListener("abort", () => clearTimeout(timer));
            }),
        }),
      },
    });
  });

  afterAll(async () => {
    await agent.close(true);
  });

  it("runs a tool and answers 200 with its structured result; the stock really changes", async () => {
    const before = stock("monitor");
    const { status, body } = await agent.post("/execute", {
      request_id: "req-1",
      operation: "reserve_stock",
      parameters: { sku: "monitor", quantity: 3 },
    });
    expect(status).toBe(200);
    expect(agentServiceResponseSchema.parse(body)).toEqual(body);
    expect(body).toMatchObject({
      request_id: "req-1",
      success: true,
      result: { sku: "monitor", quantity: 3, status: "held", remaining_available: before.available - 3 },
      metadata: { service: "inventory", operation: "reserve_stock", kind: "mcp", attempts: 1 },
    });
    expect(body.error).toBeUndefined();
    expect(typeof body.execution_time).toBe("number");
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    const after = stock("monitor");
    expect(after.available).toBe(before.available - 3);
    expect(after.reserved).toBe(before.reserved + 3);
    expect(agent.inventory.db.select().from(reservations).where(eq(reservations.id, body.result.reservation_id)).get()?.status).toBe("held");
  });

  it("refuses an unknown operation with 400 and lists the known ones", async () => {
    const { status, body } = await agent.post("/execute", { request_id: "req-2", operation: "teleport_stock", parameters: {} });
    expect(status).toBe(400);
    expect(body.success).toBe(false);
    expect(body.error.code).toBe("UNKNOWN_OPERATION");
    expect(body.error.retryable).toBe(false);
    expect(body.error.message).toContain("reserve_stock");
    expect(body.error.message).toContain("slow_local");
    expect(body.error.details.known_operations).toContain("check_inventory");
    expect(body.metadata.attempts).toBe(0);
  });

  it("refuses bad parameters with 400, the exact field paths, no MCP call and no change", async () => {
    const before = stock("laptop");
    const rows = reservationCount();
    const { status, body } = await agent.post("/execute", {
      request_id: "req-3",
      operation: "reserve_stock",
      parameters: { quantity: -2, idempotency_key: "" },
    });
    expect(status).toBe(400);
    expect(body.success).toBe(false);
    expect(body.error.code).toBe("INVALID_PARAMETERS");
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        { path: "sku", message: "is required" },
        { path: "quantity", message: expect.stringContaining("> 0") },
        { path: "idempotency_key", message: expect.stringContaining("fewer than 1") },
      ]),
    );
    expect(body.metadata.attempts).toBe(0);
    expect(stock("laptop")).toEqual(before);
    expect(reservationCount()).toBe(rows);
  });

  it("refuses a wrongly typed parameter with its path", async () => {
    const { status, body } = await agent.post("/execute", {
      request_id: "req-3b",
      operation: "check_inventory",
      parameters: { sku: "laptop", quantity: "two" },
    });
    expect(status).toBe(400);
    expect(body.error.details).toEqual([{ path: "quantity", message: "must be integer" }]);
  });

  it("refuses malformed JSON with 400 in the response shape", async () => {
    const { status, body } = await agent.post("/execute", '{"request_id": "req-4", "operation": ');
    expect(status).toBe(400);
    expect(body.success).toBe(false);
    expect(body.error.code).toBe("MALFORMED_JSON");
    expect(body.metadata).toEqual({ service: "inventory", operation: null, kind: null, attempts: 0 });
  });

  it("refuses bodies that are not AgentServiceRequest objects with 400", async () => {
    for (const bad of ["[1, 2]", "42", "null"]) {
      const { status, body } = await agent.post("/execute", bad);
      expect(status).toBe(400);
      expect(body.error.code).toBe("INVALID_REQUEST");
    }
    const { status, body } = await agent.post("/execute", { request_id: "req-5", parameters: [], timeout: -1, callback_url: "ftp://x" });
    expect(status).toBe(400);
    expect(body.request_id).toBe("req-5");
    expect(body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["callback_url", "operation", "parameters", "timeout"]);
  });

  it("answers a domain failure (out of stock) with 422, success false and the tool's message", async () => {
    const before = stock("laptop");
    const { status, body } = await agent.post("/execute", {
      request_id: "req-6",
      operation: "reserve_stock",
      parameters: { sku: "laptop", quantity: 10_000 },
    });
    expect(status).toBe(422);
    expect(body.success).toBe(false);
    expect(body.result).toBeNull();
    expect(body.error).toEqual({
      code: "OUT_OF_STOCK",
      message: `Out of stock: 10000 × laptop requested but only ${before.available} available.`,
      details: { sku: "laptop", requested: 10_000, available: before.available },
      retryable: false,
    });
    expect(body.metadata.attempts).toBe(1);
    expect(stock("laptop")).toEqual(before);
  });

  it("passes context.idempotency_key to the tool: the same key gives the same reservation once", async () => {
    const before = stock("keyboard");
    const rows = reservationCount();
    const request = {
      request_id: "req-7",
      operation: "reserve_stock",
      parameters: { sku: "keyboard", quantity: 2 },
      context: { idempotency_key: "wf-1:step-1", workflow_id: "wf-1", step_id: "step-1" },
    };
    const first = await agent.post("/execute", request);
    const second = await agent.post("/execute", { ...request, request_id: "req-7-retry" });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body.result.reservation_id).toBe(first.body.result.reservation_id);
    expect(reservationCount()).toBe(rows + 1);
    expect(stock("keyboard").available).toBe(before.available - 2);
  });

  it("does not send the key to tools without an idempotency_key parameter", async () => {
    const { status, body } = await agent.post("/execute", {
      request_id: "req-8",
      operation: "check_inventory",
      parameters: { sku: "mouse", quantity: 1 },
      context: { idempotency_key: "irrelevant" },
    });
    expect(status).toBe(200);
    expect(body.result).toMatchObject({ sku: "mouse", sufficient: true });
  });

  it("refuses an idempotency key that contradicts the context's with 400", async () => {
    const rows = reservationCount();
    const { status, body } = await agent.post("/execute", {
      request_id: "req-9",
      operation: "reserve_stock",
      parameters: { sku: "mouse", quantity: 1, idempotency_key: "a" },
      context: { idempotency_key: "b" },
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe("CONFLICTING_IDEMPOTENCY_KEY");
    expect(reservationCount()).toBe(rows);
  });

  it("answers 504 TIMEOUT when a slow tool outlives the request's timeout", async () => {
    const { status, body } = await agent.post("/execute", {
      request_id: "req-10",
      operation: "slow_echo",
      parameters: { message: "late", delay_ms: 5_000 },
      timeout: 0.2,
    });
    expect(status).toBe(504);
    expect(body.success).toBe(false);
    expect(body.error).toMatchObject({ code: "TIMEOUT", retryable: true });
    expect(body.metadata.attempts).toBe(1);
    // The connection survives a timed-out call.
    const next = await agent.post("/execute", { request_id: "req-11", operation: "slow_echo", parameters: { message: "on time", delay_ms: 1 } });
    expect(next.status).toBe(200);
    expect(next.body.result).toEqual({ message: "on time" });
    expect(agent.service.diagnostics().connections).toBe(1);
  });

  it("answers 504 TIMEOUT for a slow local operation too", async () => {
    const { status, body } = await agent.post("/execute", { request_id: "req-12", operation: "slow_local", parameters: { delay_ms: 5_000 }, timeout: 0.1 });
    expect(status).toBe(504);
    expect(body.metadata).toMatchObject({ kind: "local", attempts: 1 });
    expect(body.error.code).toBe("TIMEOUT");
    const quick = await agent.post("/execute", { request_id: "req-13", operation: "slow_local", parameters: { delay_ms: 0 } });
    expect(quick.status).toBe(200);
    expect(quick.body).toMatchObject({ success: true, result: { waited: 0 }, metadata: { kind: "local", attempts: 1 } });
  });

  it("answers 404 JSON for unknown routes", async () => {
    const { status, body } = await agent.get("/nowhere");
    expect(status).toBe(404);
    expect(body.error.code).toBe("NOT_FOUND");
  });

  it("refuses an oversized body with 413", async () => {
    const { status, body } = await agent.post("/execute", {
      request_id: "big",
      operation: "check_inventory",
      parameters: { sku: "x".repeat(2 * 1024 * 1024), quantity: 1 },
    });
    expect(status).toBe(413);
    expect(body.error.code).toBe("PAYLOAD_TOO_LARGE");
  });
});

describe("POST /execute when the MCP server is unreachable", () => {
  it("answers 503 MCP_UNAVAILABLE after the retries, with the attempts in metadata", async () => {
    const service = createAgentService({
      serviceName: "inventory",
      version: "0.1.0",
      description: "Retail stock",
      // Port 9 (discard) on loopback has no listener here: every connect is refused.
      mcp: { url: "http://127.0.0.1:9/mcp" },
      dataDir: mkdtempSync(join(tmpdir(), "agent-kit-unreachable-")),
      limits: { ...fastLimits, retries: 3 },
      log: () => undefined,
    });
    await service.start();
    try {
      const { status, body } = await answer(
        await service.app.request("/execute", {
          method: "POST",
          body: JSON.stringify({ request_id: "r", operation: "check_inventory", parameters: { sku: "laptop", quantity: 1 } }),
        }),
      );
      expect(status).toBe(503);
      expect(body.success).toBe(false);
      expect(body.error.code).toBe("MCP_UNAVAILABLE");
      expect(body.error.retryable).toBe(true);
      expect(body.error.message).toContain("127.0.0.1:9");
      expect(body.metadata.attempts).toBe(4);
      expect(body.error.details).toEqual({ url: "http://127.0.0.1:9/mcp", attempts: 4 });

      const health = await answer(await service.app.request("/health"));
      expect(health.body.status).toBe("degraded");
      expect(health.body.mcp.reachable).toBe(false);
      expect(health.body.mcp.last_error).toContain("127.0.0.1:9");
      expect((await service.app.request("/health/ready")).status).toBe(503);
      expect((await service.app.request("/capabilities")).status).toBe(503);
    } finally {
      await service.stop();
    }
  });
});
