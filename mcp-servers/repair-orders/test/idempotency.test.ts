import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { databaseSnapshot, expectFailure, expectSuccess, startInMemoryServer, type InMemoryServer } from "@switchyard/mcp-kit/testing";
import { repairOrdersSchema, repairOrdersServerDefinition, type RepairOrdersDatabase } from "../src/index.js";

const { repairOrders, repairOrderParts, repairOrderNotes, idempotencyKeys } = repairOrdersSchema;

const request = {
  customer_name: "Alex Kim",
  customer_email: "alex.kim@example.com",
  vehicle: { make: "Honda", model: "Civic", year: 2017 },
  description: "Check engine light on",
  idempotency_key: "wf-9:create",
};

let server: InMemoryServer<RepairOrdersDatabase>;

beforeEach(async () => {
  server = await startInMemoryServer(repairOrdersServerDefinition);
});

afterEach(async () => {
  await server.close();
});

function repairOrderCount(): number {
  return server.database.db.select().from(repairOrders).all().length;
}

describe("create_repair_order idempotency", () => {
  it("answers a repeated key with the first result and creates one repair order", async () => {
    const first = await expectSuccess(server.client, "create_repair_order", request);
    const second = await expectSuccess(server.client, "create_repair_order", request);
    expect(second).toEqual(first);
    expect(repairOrderCount()).toBe(4);
  });

  it("creates one repair order for parallel duplicates", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => expectSuccess(server.client, "create_repair_order", request)));
    for (const result of results) expect(result).toEqual(results[0]);
    expect(repairOrderCount()).toBe(4);
    expect(server.database.db.select().from(idempotencyKeys).all()).toHaveLength(1);
  });

  it("refuses the same key with other arguments and changes nothing", async () => {
    await expectSuccess(server.client, "create_repair_order", request);
    const before = databaseSnapshot(server.database.sqlite);
    const failure = await expectFailure(server.client, "create_repair_order", { ...request, description: "Something else" });
    expect(failure.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(failure.message).toContain("wf-9:create");
    expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
  });

  it("creates a new repair order for each call without a key", async () => {
    const { idempotency_key: _omit, ...withoutKey } = request;
    const first = await expectSuccess(server.client, "create_repair_order", withoutKey);
    const second = await expectSuccess(server.client, "create_repair_order", withoutKey);
    expect(second.repair_order_id).not.toBe(first.repair_order_id);
    expect(repairOrderCount()).toBe(5);
  });
});

describe("add_part_to_repair_order and add_repair_notes idempotency", () => {
  const part = { repair_order_id: "1234", part_number: "1234", quantity: 2, unit_price: 89.99, idempotency_key: "wf-9:add-part" };

  it("records a part line once for a repeated key, in sequence or in parallel", async () => {
    const first = await expectSuccess(server.client, "add_part_to_repair_order", part);
    const repeats = await Promise.all(Array.from({ length: 5 }, () => expectSuccess(server.client, "add_part_to_repair_order", part)));
    for (const repeat of repeats) expect(repeat).toEqual(first);
    expect(server.database.db.select().from(repairOrderParts).where(eq(repairOrderParts.repairOrderId, "1234")).all()).toHaveLength(1);
    expect(server.database.db.select().from(repairOrders).where(eq(repairOrders.id, "1234")).get()?.estimatedTotalCents).toBe(17_998);
  });

  it("refuses a reused part key with another quantity, changing nothing", async () => {
    await expectSuccess(server.client, "add_part_to_repair_order", part);
    const before = databaseSnapshot(server.database.sqlite);
    const failure = await expectFailure(server.client, "add_part_to_repair_order", { ...part, quantity: 3 });
    expect(failure.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(databaseSnapshot(server.database.sqlite)).toEqual(before);
  });

  it("refuses a key already used by another tool", async () => {
    await expectSuccess(server.client, "add_part_to_repair_order", part);
    const failure = await expectFailure(server.client, "add_repair_notes", { repair_order_id: "1234", note: "hello", idempotency_key: part.idempotency_key });
    expect(failure.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(failure.message).toContain("add_part_to_repair_order");
  });

  it("adds a note once for a repeated key", async () => {
    const note = { repair_order_id: "1234", note: "Called the customer", idempotency_key: "wf-9:note" };
    const first = await expectSuccess(server.client, "add_repair_notes", note);
    const second = await expectSuccess(server.client, "add_repair_notes", note);
    expect(second).toEqual(first);
    expect(server.database.db.select().from(repairOrderNotes).where(eq(repairOrderNotes.repairOrderId, "1234")).all()).toHaveLength(2);
  });
});
