import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { databaseSnapshot, expectFailure, expectSuccess, runToolCalls, startInMemoryServer, type InMemoryServer } from "@switchyard/mcp-kit/testing";
import { repairOrdersSchema, repairOrdersServerDefinition, type RepairOrdersDatabase } from "../src/index.js";
import { toolCalls } from "./tool-calls.js";

const toolNames = [
  "create_repair_order",
  "update_repair_order_status",
  "get_repair_order_details",
  "assign_technician",
  "add_repair_notes",
  "get_repair_history",
  "add_part_to_repair_order",
  "list_repair_orders",
  "list_technicians",
];

const newOrder = {
  customer_name: "Alex Kim",
  customer_email: "alex.kim@example.com",
  vehicle: { make: "Honda", model: "Civic", year: 2017 },
  description: "Check engine light on",
};

let server: InMemoryServer<RepairOrdersDatabase>;

beforeEach(async () => {
  server = await startInMemoryServer(repairOrdersServerDefinition);
});

afterEach(async () => {
  await server.close();
});

describe("repair-orders tools", () => {
  it("lists every tool with input and output schemas and all four annotations", async () => {
    const { tools } = await server.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...toolNames].sort());
    for (const tool of tools) {
      expect(tool.description, tool.name).toBeTruthy();
      expect(tool.inputSchema.type).toBe("object");
      expect(tool.outputSchema?.type, tool.name).toBe("object");
      expect(Object.keys(tool.annotations ?? {}).sort(), tool.name).toEqual(["destructiveHint", "idempotentHint", "openWorldHint", "readOnlyHint"]);
    }
    const readOnly = tools.filter((tool) => tool.annotations?.readOnlyHint).map((tool) => tool.name).sort();
    expect(readOnly).toEqual(["get_repair_history", "get_repair_order_details", "list_repair_orders", "list_technicians"]);
  });

  it("covers every tool in the sample calls, and each one succeeds on a fresh database", async () => {
    expect(new Set(toolCalls.map((testCase) => testCase.tool))).toEqual(new Set(toolNames));
    const results = await runToolCalls(server.client, toolCalls);
    expect(results.update_repair_order_status).toMatchObject({ previous_status: "in_progress", status: "quality_check", changed: true });
  });

  it("serves the seeded repair order 1234: Jordan Lee's 2020 Camry, in progress", async () => {
    const order = await expectSuccess(server.client, "get_repair_order_details", { repair_order_id: "1234" });
    expect(order).toMatchObject({
      repair_order_id: "1234",
      customer_name: "Jordan Lee",
      customer_email: "jordan.lee@example.com",
      vehicle: { make: "Toyota", model: "Camry", year: 2020 },
      status: "in_progress",
      allowed_next_statuses: ["parts_ordered", "quality_check", "cancelled"],
      technician: { technician_id: "TECH-01", name: "Avery Morgan" },
      parts: [],
      estimated_total: 0,
    });
    expect(order.status_history.map((change: { to_status: string }) => change.to_status)).toEqual(["pending", "scheduled", "in_progress"]);
    expect(order.notes).toHaveLength(1);
  });

  it("creates a pending repair order with a new RO- id and a creation entry in its history", async () => {
    const created = await expectSuccess(server.client, "create_repair_order", newOrder);
    expect(created.repair_order_id).toBe("RO-000103");
    expect(created).toMatchObject({
      status: "pending",
      customer_phone: null,
      vehicle: { make: "Honda", model: "Civic", year: 2017, vin: null },
      technician: null,
      allowed_next_statuses: ["scheduled", "cancelled"],
    });
    expect(created.status_history).toEqual([
      { from_status: null, to_status: "pending", reason: "Repair order created", changed_at: created.created_at },
    ]);
    const next = await expectSuccess(server.client, "create_repair_order", { ...newOrder, customer_name: "Sam Lee" });
    expect(next.repair_order_id).toBe("RO-000104");
    const row = server.database.db.select().from(repairOrdersSchema.repairOrders).where(eq(repairOrdersSchema.repairOrders.id, "RO-000104")).get();
    expect(row).toMatchObject({ customerName: "Sam Lee", status: "pending", vehicleYear: 2017 });
  });

  it("lists repair orders, optionally by status", async () => {
    const all = await expectSuccess(server.client, "list_repair_orders", {});
    expect(all.repair_orders.map((order: { repair_order_id: string }) => order.repair_order_id).sort()).toEqual(["1234", "RO-000101", "RO-000102"]);
    const scheduled = await expectSuccess(server.client, "list_repair_orders", { status: "scheduled" });
    expect(scheduled.repair_orders).toEqual([expect.objectContaining({ repair_order_id: "RO-000101", status: "scheduled" })]);
    const closed = await expectSuccess(server.client, "list_repair_orders", { status: "closed" });
    expect(closed.repair_orders).toEqual([]);
  });

  it("lists technicians with their open workload", async () => {
    const { technicians } = await expectSuccess(server.client, "list_technicians", {});
    expect(technicians).toEqual([
      { technician_id: "TECH-01", name: "Avery Morgan", specialty: "brakes and suspension", open_repair_orders: 1 },
      { technician_id: "TECH-02", name: "Sam Patel", specialty: "engine and diagnostics", open_repair_orders: 0 },
      // RO-000102 is completed, so it does not count.
      { technician_id: "TECH-03", name: "Riley Chen", specialty: "electrical and maintenance", open_repair_orders: 0 },
    ]);
  });

  it("assigns a technician, records the change as a note, and treats the same assignment again as a no-op", async () => {
    const assigned = await expectSuccess(server.client, "assign_technician", { repair_order_id: "1234", technician_id: "TECH-02" });
    expect(assigned).toMatchObject({ technician: { technician_id: "TECH-02" }, previous_technician_id: "TECH-01", changed: true });
    const details = await expectSuccess(server.client, "get_repair_order_details", { repair_order_id: "1234" });
    expect(details.technician_id).toBe("TECH-02");
    expect(details.notes.at(-1)).toMatchObject({ author: "system", text: "Technician changed from TECH-01 to TECH-02 (Sam Patel)." });

    const before = databaseSnapshot(server.database.sqlite);
    const again = await expectSuccess(server.client, "assign_technician", { repair_order_id: "1234", technician_id: "TECH-02" });
    expect(again).toMatchObject({ previous_technician_id: "TECH-02", changed: false });
    expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
  });

  it("adds notes with a default author", async () => {
    const added = await expectSuccess(server.client, "add_repair_notes", { repair_order_id: "RO-000101", note: "Customer will drop the car off at 8am." });
    expect(added).toMatchObject({ repair_order_id: "RO-000101", note: { author: "service advisor", text: "Customer will drop the car off at 8am." } });
    const notes = server.database.db.select().from(repairOrdersSchema.repairOrderNotes).where(eq(repairOrdersSchema.repairOrderNotes.repairOrderId, "RO-000101")).all();
    expect(notes).toHaveLength(1);
  });

  it("records parts on a repair order and keeps the estimate as the sum of priced lines", async () => {
    await expectSuccess(server.client, "add_part_to_repair_order", { repair_order_id: "1234", part_number: "1234", quantity: 2, unit_price: 89.99, reservation_id: "PRS-0a1b2c3d" });
    await expectSuccess(server.client, "add_part_to_repair_order", { repair_order_id: "1234", part_number: "BR-2210", quantity: 1, unit_price: 64.5 });
    const unpriced = await expectSuccess(server.client, "add_part_to_repair_order", { repair_order_id: "1234", part_number: "OF-1010", quantity: 1 });
    expect(unpriced.line).toMatchObject({ part_number: "OF-1010", unit_price: null, line_total: null, reservation_id: null });
    expect(unpriced.estimated_total).toBe(244.48);
    expect(unpriced.parts.map((line: { part_number: string; quantity: number }) => [line.part_number, line.quantity])).toEqual([
      ["1234", 2],
      ["BR-2210", 1],
      ["OF-1010", 1],
    ]);
    const row = server.database.db.select().from(repairOrdersSchema.repairOrders).where(eq(repairOrdersSchema.repairOrders.id, "1234")).get();
    expect(row?.estimatedTotalCents).toBe(24_448);
    const details = await expectSuccess(server.client, "get_repair_order_details", { repair_order_id: "1234" });
    expect(details.parts[0]).toMatchObject({ part_number: "1234", quantity: 2, unit_price: 89.99, line_total: 179.98, reservation_id: "PRS-0a1b2c3d" });
  });

  it("refuses a second record of the same reservation line, changing nothing", async () => {
    const line = { repair_order_id: "1234", part_number: "1234", quantity: 1, reservation_id: "PRS-0a1b2c3d" };
    await expectSuccess(server.client, "add_part_to_repair_order", line);
    const before = databaseSnapshot(server.database.sqlite);
    const failure = await expectFailure(server.client, "add_part_to_repair_order", line);
    expect(failure.code).toBe("PART_ALREADY_RECORDED");
    expect(failure.message).toContain("already recorded on repair order 1234");
    expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
  });

  it("refuses parts and technicians once a repair order is completed, invoiced, closed or cancelled", async () => {
    for (const status of ["completed", "invoiced", "closed", "cancelled"] as const) {
      server.database.db.update(repairOrdersSchema.repairOrders).set({ status }).where(eq(repairOrdersSchema.repairOrders.id, "RO-000101")).run();
      const before = databaseSnapshot(server.database.sqlite);
      const part = await expectFailure(server.client, "add_part_to_repair_order", { repair_order_id: "RO-000101", part_number: "OF-1010", quantity: 1 });
      expect(part.code).toBe("REPAIR_ORDER_NOT_OPEN");
      expect(part.message).toContain(`Repair order RO-000101 is ${status}`);
      const technician = await expectFailure(server.client, "assign_technician", { repair_order_id: "RO-000101", technician_id: "TECH-01" });
      expect(technician.code).toBe("REPAIR_ORDER_NOT_OPEN");
      expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
    }
  });

  it("gives the history as status changes and notes in time order", async () => {
    await expectSuccess(server.client, "add_repair_notes", { repair_order_id: "1234", note: "Pads fitted", author: "Avery Morgan" });
    await expectSuccess(server.client, "update_repair_order_status", { repair_order_id: "1234", status: "quality_check", reason: "Work done" });
    const { history, status } = await expectSuccess(server.client, "get_repair_history", { repair_order_id: "1234" });
    expect(status).toBe("quality_check");
    expect(history.map((entry: { type: string; to_status?: string; text?: string }) => entry.type === "note" ? `note: ${entry.text}` : entry.to_status)).toEqual([
      "pending",
      "scheduled",
      "in_progress",
      "note: Front pads worn to 2 mm; rotors within spec. Replace the front brake pads.",
      "note: Pads fitted",
      "quality_check",
    ]);
    const times = history.map((entry: { at: string }) => Date.parse(entry.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(history.at(-1)).toMatchObject({ type: "status_change", from_status: "in_progress", to_status: "quality_check", reason: "Work done" });
  });
});
