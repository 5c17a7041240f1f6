import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { createInventoryServer, openInventoryDatabase } from "@switchyard/inventory-mcp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  capabilitiesSchema,
  createAgentService,
  createValidatePaymentData,
  createValidateRepairOrderTransition,
  defineLocalOperation,
  validatePartNumber,
} from "../src/index.js";
import { answer, createInventoryAgent, fastLimits, type InventoryAgent } from "./support/inventory-agent.js";

async function listInventoryTools(): Promise<Tool[]> {
  const database = openInventoryDatabase(mkdtempSync(join(tmpdir(), "agent-kit-tools-")));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = createInventoryServer(database);
  const client = new Client({ name: "test", version: "0" });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const { tools } = await client.listTools();
  await client.close();
  database.close();
  return tools;
}

describe("GET /capabilities", () => {
  let agent: InventoryAgent;
  let tools: Tool[];

  beforeAll(async () => {
    tools = await listInventoryTools();
    agent = await createInventoryAgent({
      localOperations: {
        validate_payment_data: createValidatePaymentData(["USD", "EUR"]),
        validate_part_number: validatePartNumber,
        validate_repair_order_transition: createValidateRepairOrderTransition({ open: ["quality_check"], quality_check: ["open"] }),
      },
    });
  });

  afterAll(async () => {
    await agent.close(true);
  });

  it("lists every MCP tool with its schemas, then the local operations", async () => {
    const { status, body } = await agent.get("/capabilities");
    expect(status).toBe(200);
    expect(capabilitiesSchema.parse(body)).toEqual(body);
    expect(body).toMatchObject({ service_name: "inventory", version: "0.1.0", description: "Retail stock" });
    expect(new Date(body.updated_at).toISOString()).toBe(body.updated_at);
    const names = body.operations.map((op: { name: string }) => op.name);
    expect(names).toEqual([...tools.map((tool) => tool.name), "validate_payment_data", "validate_part_number", "validate_repair_order_transition"]);
    for (const tool of tools) {
      const operation = body.operations.find((op: { name: string }) => op.name === tool.name);
      expect(operation.kind).toBe("mcp");
      expect(operation.description).toBe(tool.description);
      expect(operation.input_schema).toEqual(tool.inputSchema);
      expect(operation.output_schema).toEqual(tool.outputSchema ?? null);
    }
  });

  it("maps the MCP annotations and the compensations", async () => {
    const { body } = await agent.get("/capabilities");
    const byName = Object.fromEntries(body.operations.map((op: { name: string }) => [op.name, op]));
    expect(byName.reserve_stock).toMatchObject({ annotations: { read_only: false, destructive: false, idempotent: false }, compensation: "release_reservation" });
    expect(byName.release_reservation).toMatchObject({ annotations: { read_only: false, destructive: true, idempotent: true }, compensation: null });
    expect(byName.list_items).toMatchObject({ annotations: { read_only: true, destructive: false, idempotent: true }, compensation: null });
  });

  it("publishes local operations with JSON Schemas converted from zod", async () => {
    const { body } = await agent.get("/capabilities");
    const payment = body.operations.find((op: { name: string }) => op.name === "validate_payment_data");
    expect(payment).toMatchObject({
      kind: "local",
      annotations: { read_only: true, destructive: false, idempotent: true },
      compensation: null,
      input_schema: {
        type: "object",
        properties: { email: { type: "string" }, amount: { type: "number" }, currency: { type: "string" } },
        required: ["email", "amount", "currency"],
      },
      output_schema: { type: "object", properties: { valid: { type: "boolean" } } },
    });
    const transition = body.operations.find((op: { name: string }) => op.name === "validate_repair_order_transition");
    expect(transition.input_schema.properties.from.enum).toContain("quality_check");
  });

  it("picks up a tool added while connected (notifications/tools/list_changed)", async () => {
    const server = agent.servers.at(-1)!;
    server.registerTool("count_items", { description: "Counts catalogue items (added later)", inputSchema: {} }, () => ({
      content: [{ type: "text", text: "5" }],
    }));
    await vi.waitFor(
      async () => {
        const { body } = await agent.get("/capabilities");
        expect(body.operations.map((op: { name: string }) => op.name)).toContain("count_items");
      },
      { timeout: 5_000, interval: 20 },
    );
    const call = await agent.post("/execute", { request_id: "r", operation: "count_items", parameters: {} });
    expect(call.status).toBe(200);
    expect(call.body.result).toBe(5);
  });
});

describe("capability refresh timer", () => {
  // A low-level server that never announces changes: only re-listing can discover them.
  function silentServer(tools: Tool[]): Server {
    const server = new Server({ name: "silent", version: "0" }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
    server.setRequestHandler(CallToolRequestSchema, (request) => ({ content: [{ type: "text", text: request.params.name }] }));
    return server;
  }

  it("re-lists the tools on a timer and shows changes", async () => {
    const tools: Tool[] = [{ name: "first", description: "First", inputSchema: { type: "object" } }];
    const service = createAgentService({
      serviceName: "silent",
      version: "1.0.0",
      description: "Silent server",
      mcp: {
        connect: async () => {
          const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
          await silentServer(tools).connect(serverSide);
          return clientSide;
        },
      },
      dataDir: mkdtempSync(join(tmpdir(), "agent-kit-silent-")),
      limits: { ...fastLimits, capabilityRefreshMs: 50 },
      log: () => undefined,
    });
    await service.start();
    try {
      const first = await answer(await service.app.request("/capabilities"));
      expect(first.body.operations.map((op: { name: string }) => op.name)).toEqual(["first"]);
      tools.push({ name: "second", inputSchema: { type: "object", properties: { n: { type: "integer" } } } });
      await vi.waitFor(
        async () => {
          const { body } = await answer(await service.app.request("/capabilities"));
          expect(body.operations.map((op: { name: string }) => op.name)).toEqual(["first", "second"]);
          expect(body.updated_at > first.body.updated_at).toBe(true);
        },
        { timeout: 5_000, interval: 20 },
      );
      const bad = await answer(
        await service.app.request("/execute", { method: "POST", body: JSON.stringify({ request_id: "r", operation: "second", parameters: { n: 1.5 } }) }),
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error.details).toEqual([{ path: "n", message: "must be integer" }]);
    } finally {
      await service.stop();
    }
  });
});

describe("local operations without an MCP server", () => {
  it("run even while the MCP server is unreachable", async () => {
    const service = createAgentService({
      serviceName: "offline",
      version: "1.0.0",
      description: "MCP server down",
      mcp: { url: "http://127.0.0.1:9/mcp" },
      localOperations: {
        shout: defineLocalOperation({
          description: "Upper-cases",
          input: z.object({ text: z.string() }),
          output: z.object({ text: z.string() }),
          handler: ({ text }) => ({ text: text.toUpperCase() }),
        }),
      },
      dataDir: mkdtempSync(join(tmpdir(), "agent-kit-offline-")),
      limits: { ...fastLimits, retries: 0 },
      log: () => undefined,
    });
    try {
      const { status, body } = await answer(
        await service.app.request("/execute", { method: "POST", body: JSON.stringify({ request_id: "r", operation: "shout", parameters: { text: "hi" } }) }),
      );
      expect(status).toBe(200);
      expect(body).toMatchObject({ success: true, result: { text: "HI" }, metadata: { kind: "local", attempts: 1 } });
    } finally {
      await service.stop();
    }
  });
});
