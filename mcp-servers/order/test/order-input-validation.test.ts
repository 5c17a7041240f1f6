import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectFailure, expectSuccess, startInMemoryServer, type InMemoryServer } from "@switchyard/mcp-kit/testing";
import { orderServerDefinition, type OrderDatabase } from "../src/index.js";
import { eventRows, idempotencyRows, orderRows } from "./order-rows.js";

let context: InMemoryServer<OrderDatabase>;

beforeEach(async () => {
  context = await startInMemoryServer(orderServerDefinition);
});

afterEach(async () => {
  await context.close();
});

function expectNothingWritten(): void {
  expect(orderRows(context.database)).toEqual([]);
  expect(eventRows(context.database)).toEqual([]);
  expect(idempotencyRows(context.database)).toEqual([]);
}

const valid = { sku: "laptop", quantity: 1, reservation_id: "res_valid", idempotency_key: "bad-input" };

describe("bad input to create_order", () => {
  const cases: { name: string; args: Record<string, unknown>; message: RegExp }[] = [
    { name: "zero quantity", args: { ...valid, quantity: 0 }, message: /quantity/ },
    { name: "negative quantity", args: { ...valid, quantity: -2 }, message: /quantity/ },
    { name: "fractional quantity", args: { ...valid, quantity: 1.5 }, message: /expected int.*quantity/s },
    { name: "quantity as text", args: { ...valid, quantity: "two" }, message: /expected number.*quantity/s },
    { name: "missing sku", args: { quantity: 1, reservation_id: "res_valid" }, message: /expected string, received undefined at sku/ },
    { name: "blank sku", args: { ...valid, sku: "   " }, message: /sku/ },
    { name: "missing reservation_id", args: { sku: "laptop", quantity: 1 }, message: /reservation_id/ },
    { name: "empty reservation_id", args: { ...valid, reservation_id: "" }, message: /reservation_id/ },
    { name: "empty customer", args: { ...valid, customer: "" }, message: /customer/ },
  ];
  for (const { name, args, message } of cases) {
    it(`refuses ${name} with a clear message and writes nothing`, async () => {
      const failure = await expectFailure(context.client, "create_order", args);
      expect(failure.message).toMatch(/Input validation error/);
      expect(failure.message).toMatch(message);
      expectNothingWritten();
    });
  }

  it("reports a zero quantity as too small", async () => {
    const failure = await expectFailure(context.client, "create_order", { ...valid, quantity: 0 });
    expect(failure.message).toMatch(/Too small: expected number to be >0 at quantity/);
  });
});

describe("unknown ids and bad values elsewhere", () => {
  it("reports an unknown order id on every tool that takes one, changing nothing", async () => {
    await expectSuccess(context.client, "create_order", valid);
    const before = { orders: orderRows(context.database), events: eventRows(context.database) };
    for (const [tool, args] of [
      ["get_order", { order_id: "ORD-00000000" }],
      ["update_order_status", { order_id: "ORD-00000000", status: "confirmed" }],
      ["cancel_order", { order_id: "ORD-00000000" }],
    ] as const) {
      const failure = await expectFailure(context.client, tool, args);
      expect(failure.code).toBe("UNKNOWN_ORDER");
      expect(failure.message).toMatch(/Unknown order "ORD-00000000".*list_orders/);
    }
    expect({ orders: orderRows(context.database), events: eventRows(context.database) }).toEqual(before);
  });

  it("refuses an unknown status, listing the valid ones, and changes nothing", async () => {
    const order = await expectSuccess(context.client, "create_order", valid);
    const before = { orders: orderRows(context.database), events: eventRows(context.database) };
    const failure = await expectFailure(context.client, "update_order_status", { order_id: order.order_id, status: "lost" });
    expect(failure.message).toMatch(/"pending"\|"confirmed"\|"shipped"\|"delivered"\|"cancelled".*status/s);
    expect({ orders: orderRows(context.database), events: eventRows(context.database) }).toEqual(before);
  });

  it("refuses a missing order id and an out-of-range list limit", async () => {
    expect((await expectFailure(context.client, "cancel_order", {})).message).toMatch(/order_id/);
    expect((await expectFailure(context.client, "list_orders", { limit: 0 })).message).toMatch(/limit/);
    expect((await expectFailure(context.client, "list_orders", { status: "lost" })).message).toMatch(/status/);
  });
});
