import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectSuccess, runToolCalls, startInMemoryServer, type InMemoryServer, type Structured } from "@switchyard/mcp-kit/testing";
import { orderServerDefinition, type OrderDatabase } from "../src/index.js";
import { eventRows, orderRows } from "./order-rows.js";
import { toolCalls } from "./tool-calls.js";

let context: InMemoryServer<OrderDatabase>;

beforeEach(async () => {
  context = await startInMemoryServer(orderServerDefinition);
});

afterEach(async () => {
  await context.close();
});

describe("order tools", () => {
  it("lists every tool with input and output schemas and annotations", async () => {
    const { tools } = await context.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(["cancel_order", "create_order", "get_order", "list_orders", "update_order_status"]);
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe("object");
      expect(tool.outputSchema?.type, tool.name).toBe("object");
      expect(tool.annotations?.readOnlyHint, tool.name).toBeTypeOf("boolean");
      expect(tool.annotations?.destructiveHint, tool.name).toBeTypeOf("boolean");
      expect(tool.annotations?.idempotentHint, tool.name).toBeTypeOf("boolean");
      expect(tool.annotations?.openWorldHint, tool.name).toBe(false);
      expect(tool.description, tool.name).toBeTruthy();
    }
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(byName.get_order?.annotations?.readOnlyHint).toBe(true);
    expect(byName.cancel_order?.annotations?.destructiveHint).toBe(true);
    expect(byName.create_order?.inputSchema.required).toEqual(expect.arrayContaining(["sku", "quantity", "reservation_id"]));
  });

  it("runs every sample call in test/tool-calls.ts on a fresh database", async () => {
    const { tools } = await context.client.listTools();
    expect(new Set(toolCalls.map((call) => call.tool))).toEqual(new Set(tools.map((tool) => tool.name)));
    const previous = await runToolCalls(context.client, toolCalls);
    expect(previous.cancel_order).toMatchObject({ status: "cancelled", previous_status: "confirmed", changed: true });
  });

  it("creates a pending order with an ORD- id and records its creation in the history", async () => {
    const order = await expectSuccess(context.client, "create_order", { sku: "laptop", quantity: 2, reservation_id: "res_1", customer: "ada@example.com" });
    expect(order.order_id).toMatch(/^ORD-[0-9A-F]{8}$/);
    expect(order).toMatchObject({ sku: "laptop", quantity: 2, reservation_id: "res_1", customer: "ada@example.com", status: "pending" });
    expect(order.created_at).toBe(order.updated_at);

    const fetched = await expectSuccess(context.client, "get_order", { order_id: order.order_id });
    expect(fetched).toMatchObject({ ...order, history: [{ from: null, to: "pending", reason: "order created", at: order.created_at }] });

    const rows = orderRows(context.database);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: order.order_id, sku: "laptop", quantity: 2, reservationId: "res_1", status: "pending" });
  });

  it("stores a missing customer as null", async () => {
    const order = await expectSuccess(context.client, "create_order", { sku: "mouse", quantity: 1, reservation_id: "res_2" });
    expect(order.customer).toBeNull();
  });

  it("lists orders newest first, filtered by status and limited", async () => {
    const created: string[] = [];
    for (let n = 1; n <= 4; n += 1) {
      created.push((await expectSuccess(context.client, "create_order", { sku: "mouse", quantity: n, reservation_id: `res_list_${n}` })).order_id);
    }
    await expectSuccess(context.client, "update_order_status", { order_id: created[1], status: "confirmed" });

    const all = await expectSuccess(context.client, "list_orders", {});
    expect(all.orders.map((order: Structured) => order.order_id)).toEqual([...created].reverse());

    const pending = await expectSuccess(context.client, "list_orders", { status: "pending" });
    expect(pending.orders.map((order: Structured) => order.order_id)).toEqual([created[3], created[2], created[0]]);

    const confirmed = await expectSuccess(context.client, "list_orders", { status: "confirmed" });
    expect(confirmed.orders).toHaveLength(1);
    expect(confirmed.orders[0]).toMatchObject({ order_id: created[1], status: "confirmed" });

    const limited = await expectSuccess(context.client, "list_orders", { limit: 2 });
    expect(limited.orders.map((order: Structured) => order.order_id)).toEqual([created[3], created[2]]);

    expect((await expectSuccess(context.client, "list_orders", { status: "delivered" })).orders).toEqual([]);
  });

  it("cancel_order returns the reservation id so the caller can release the stock", async () => {
    const order = await expectSuccess(context.client, "create_order", { sku: "laptop", quantity: 1, reservation_id: "res_cancel" });
    const cancelled = await expectSuccess(context.client, "cancel_order", { order_id: order.order_id, reason: "out of budget" });
    expect(cancelled).toMatchObject({ order_id: order.order_id, reservation_id: "res_cancel", status: "cancelled", previous_status: "pending", changed: true });
    expect(cancelled.history.at(-1)).toMatchObject({ from: "pending", to: "cancelled", reason: "out of budget" });
    expect(eventRows(context.database)).toHaveLength(2);
  });

  it("serves the order list and each order as resources", async () => {
    const order = await expectSuccess(context.client, "create_order", { sku: "laptop", quantity: 1, reservation_id: "res_resource" });

    const { resources } = await context.client.listResources();
    const uris = resources.map((resource) => resource.uri);
    expect(uris).toContain("orders://orders");
    expect(uris).toContain(`orders://orders/${order.order_id}`);

    const { resourceTemplates } = await context.client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toContain("orders://orders/{order_id}");

    const list = await context.client.readResource({ uri: "orders://orders" });
    const listed = JSON.parse((list.contents[0] as { text: string }).text);
    expect(listed).toEqual([expect.objectContaining({ order_id: order.order_id })]);

    const one = await context.client.readResource({ uri: `orders://orders/${order.order_id}` });
    expect(one.contents[0]?.mimeType).toBe("application/json");
    const detail = JSON.parse((one.contents[0] as { text: string }).text);
    expect(detail).toMatchObject({ order_id: order.order_id, status: "pending", history: [{ to: "pending" }] });

    await expect(context.client.readResource({ uri: "orders://orders/ORD-00000000" })).rejects.toThrow(/Unknown order "ORD-00000000"/);
  });

  it("offers the order-status-report prompt for one order and for a summary", async () => {
    const { prompts } = await context.client.listPrompts();
    expect(prompts.map((prompt) => prompt.name)).toContain("order-status-report");

    const forOrder = await context.client.getPrompt({ name: "order-status-report", arguments: { order_id: "ORD-1A2B3C4D" } });
    const text = (forOrder.messages[0]?.content as { text: string }).text;
    expect(text).toContain("get_order");
    expect(text).toContain("ORD-1A2B3C4D");

    const summary = await context.client.getPrompt({ name: "order-status-report", arguments: {} });
    expect((summary.messages[0]?.content as { text: string }).text).toContain("list_orders");
  });
});
