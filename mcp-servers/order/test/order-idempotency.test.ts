import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callTool, expectFailure, expectSuccess, startInMemoryServer, toolResultText, type InMemoryServer } from "@switchyard/mcp-kit/testing";
import { orderServerDefinition, type OrderDatabase } from "../src/index.js";
import { eventRows, idempotencyRows, orderRows } from "./order-rows.js";

let context: InMemoryServer<OrderDatabase>;

beforeEach(async () => {
  context = await startInMemoryServer(orderServerDefinition);
});

afterEach(async () => {
  await context.close();
});

const laptops = { sku: "laptop", quantity: 2, reservation_id: "res_laptops" };

describe("create_order idempotency", () => {
  it("returns the same order for the same key and writes one row", async () => {
    const first = await expectSuccess(context.client, "create_order", { ...laptops, idempotency_key: "wf-1:create_order" });
    const second = await expectSuccess(context.client, "create_order", { ...laptops, idempotency_key: "wf-1:create_order" });
    expect(second).toEqual(first);
    expect(orderRows(context.database)).toHaveLength(1);
    expect(eventRows(context.database)).toHaveLength(1);
    expect(idempotencyRows(context.database)).toHaveLength(1);
  });

  it("turns 20 parallel duplicates into one order", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => expectSuccess(context.client, "create_order", { ...laptops, idempotency_key: "wf-2:create_order" })),
    );
    expect(new Set(results.map((result) => result.order_id)).size).toBe(1);
    for (const result of results) expect(result).toEqual(results[0]);
    expect(orderRows(context.database)).toHaveLength(1);
  });

  it("refuses the same key with different arguments and writes nothing", async () => {
    const first = await expectSuccess(context.client, "create_order", { ...laptops, idempotency_key: "wf-3:create_order" });
    const failure = await expectFailure(context.client, "create_order", { ...laptops, quantity: 3, idempotency_key: "wf-3:create_order" });
    expect(failure.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(failure.message).toMatch(/already used by create_order with different arguments/);
    expect(orderRows(context.database)).toEqual([expect.objectContaining({ id: first.order_id, quantity: 2 })]);
  });

  it("does not remember a key whose call failed, so a corrected retry can succeed", async () => {
    const blocker = await expectSuccess(context.client, "create_order", laptops);
    await expectFailure(context.client, "create_order", { ...laptops, idempotency_key: "wf-4" });
    expect(idempotencyRows(context.database)).toHaveLength(0);
    await expectSuccess(context.client, "cancel_order", { order_id: blocker.order_id });
    const retried = await expectSuccess(context.client, "create_order", { ...laptops, idempotency_key: "wf-4" });
    expect(retried.order_id).not.toBe(blocker.order_id);
    expect(retried.status).toBe("pending");
    expect(idempotencyRows(context.database)).toHaveLength(1);
  });
});

describe("one live order per reservation", () => {
  it("refuses a second order for the same reservation with a different key", async () => {
    const first = await expectSuccess(context.client, "create_order", { ...laptops, idempotency_key: "wf-5:a" });
    const failure = await expectFailure(context.client, "create_order", { ...laptops, idempotency_key: "wf-5:b" });
    expect(failure.code).toBe("RESERVATION_ALREADY_USED");
    expect(failure.message).toContain(`already backs order ${first.order_id}`);
    expect(failure.message).toContain("reserve stock again");
    expect(orderRows(context.database)).toHaveLength(1);
    expect(eventRows(context.database)).toHaveLength(1);
  });

  it("frees the reservation once its order is cancelled", async () => {
    const first = await expectSuccess(context.client, "create_order", laptops);
    await expectSuccess(context.client, "cancel_order", { order_id: first.order_id });
    const second = await expectSuccess(context.client, "create_order", laptops);
    expect(second.order_id).not.toBe(first.order_id);
    expect(orderRows(context.database).map((row) => row.status).sort()).toEqual(["cancelled", "pending"]);
  });

  it("creates exactly one order from 2 laptops' worth of parallel calls over two database connections", async () => {
    // A second server on its own connection to the same file, as a second process would have.
    const other = await startInMemoryServer(orderServerDefinition, { dataDir: context.dataDir });
    try {
      const clients = [context.client, other.client];
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          callTool(clients[n % 2]!, "create_order", { ...laptops, idempotency_key: `parallel-${n}` }),
        ),
      );
      const successes = results.filter((result) => !result.isError);
      const failures = results.filter((result) => result.isError);
      expect(successes).toHaveLength(1);
      expect(failures).toHaveLength(19);
      for (const failure of failures) {
        expect(failure._meta?.error_code).toBe("RESERVATION_ALREADY_USED");
        expect(toolResultText(failure)).toContain("res_laptops");
      }
      const rows = orderRows(context.database);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: successes[0]!.structuredContent!.order_id, sku: "laptop", quantity: 2, reservationId: "res_laptops" });
    } finally {
      await other.close();
    }
  });

  it("rejects a second live order at the database level too", async () => {
    await expectSuccess(context.client, "create_order", laptops);
    const insert = context.database.sqlite.prepare(
      "INSERT INTO orders (id, sku, quantity, reservation_id, status, created_at, updated_at) VALUES (?, 'laptop', 2, 'res_laptops', 'pending', 0, 0)",
    );
    expect(() => insert.run("ORD-DEADBEEF")).toThrow(/UNIQUE constraint failed: orders.reservation_id/);
  });
});
