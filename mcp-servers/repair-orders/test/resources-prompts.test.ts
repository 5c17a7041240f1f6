import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resourceText, startInMemoryServer, type InMemoryServer } from "@switchyard/mcp-kit/testing";
import { repairOrdersServerDefinition, type RepairOrdersDatabase } from "../src/index.js";

let server: InMemoryServer<RepairOrdersDatabase>;

beforeEach(async () => {
  server = await startInMemoryServer(repairOrdersServerDefinition);
});

afterEach(async () => {
  await server.close();
});

describe("repair-orders resources", () => {
  it("lists the collection and one resource per repair order, and the template", async () => {
    const { resources } = await server.client.listResources();
    const uris = resources.map((resource) => resource.uri);
    expect(uris).toContain("repair-orders://repair-orders");
    expect(uris).toContain("repair-orders://repair-orders/1234");
    expect(uris).toContain("repair-orders://repair-orders/RO-000102");
    const { resourceTemplates } = await server.client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toContain("repair-orders://repair-orders/{repair_order_id}");
  });

  it("reads every repair order as JSON", async () => {
    const { contents } = await server.client.readResource({ uri: "repair-orders://repair-orders" });
    expect(contents[0]?.mimeType).toBe("application/json");
    const orders = JSON.parse(resourceText(contents)) as { repair_order_id: string; status: string }[];
    expect(orders).toHaveLength(3);
    expect(orders.find((order) => order.repair_order_id === "1234")?.status).toBe("in_progress");
  });

  it("reads one repair order with its parts, notes and history", async () => {
    const { contents } = await server.client.readResource({ uri: "repair-orders://repair-orders/RO-000102" });
    const order = JSON.parse(resourceText(contents));
    expect(order).toMatchObject({ repair_order_id: "RO-000102", status: "completed", estimated_total: 48.98 });
    expect(order.parts).toHaveLength(2);
    expect(order.notes).toHaveLength(1);
    expect(order.status_history.at(-1)).toMatchObject({ from_status: "ready_for_pickup", to_status: "completed" });
  });

  it("fails to read an unknown repair order", async () => {
    await expect(server.client.readResource({ uri: "repair-orders://repair-orders/RO-999999" })).rejects.toThrow(/Unknown repair order "RO-999999"/);
  });
});

describe("repair-orders prompt", () => {
  it("lists repair-order-summary with its argument", async () => {
    const { prompts } = await server.client.listPrompts();
    const prompt = prompts.find((candidate) => candidate.name === "repair-order-summary");
    expect(prompt?.arguments).toEqual([expect.objectContaining({ name: "repair_order_id", required: true })]);
  });

  it("asks for a customer summary built from the details and history tools", async () => {
    const { messages } = await server.client.getPrompt({ name: "repair-order-summary", arguments: { repair_order_id: "1234" } });
    expect(messages).toHaveLength(1);
    const content = messages[0]?.content;
    const text = content?.type === "text" ? content.text : "";
    expect(text).toContain("repair order 1234");
    expect(text).toContain("get_repair_order_details");
    expect(text).toContain("get_repair_history");
  });
});
