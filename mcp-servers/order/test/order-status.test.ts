import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectFailure, expectSuccess, startInMemoryServer, type InMemoryServer } from "@switchyard/mcp-kit/testing";
import { orderServerDefinition, type OrderDatabase } from "../src/index.js";
import type { OrderStatus } from "../src/schema.js";
import { eventRows, orderRows } from "./order-rows.js";

let context: InMemoryServer<OrderDatabase>;

beforeEach(async () => {
  context = await startInMemoryServer(orderServerDefinition);
});

afterEach(async () => {
  await context.close();
});

let reservationCounter = 0;

/** Creates an order and walks it along `path` (each step must be allowed). */
async function orderAt(path: OrderStatus[]): Promise<string> {
  reservationCounter += 1;
  const order = await expectSuccess(context.client, "create_order", { sku: "laptop", quantity: 1, reservation_id: `res_status_${reservationCounter}` });
  for (const status of path) await expectSuccess(context.client, "update_order_status", { order_id: order.order_id, status });
  return order.order_id as string;
}

function snapshot() {
  return { orders: orderRows(context.database), events: eventRows(context.database) };
}

describe("order status transitions", () => {
  it("walks pending -> confirmed -> shipped -> delivered and records every change", async () => {
    const orderId = await orderAt([]);
    const confirmed = await expectSuccess(context.client, "update_order_status", { order_id: orderId, status: "confirmed", reason: "paid" });
    expect(confirmed).toMatchObject({ status: "confirmed", previous_status: "pending", changed: true });
    await expectSuccess(context.client, "update_order_status", { order_id: orderId, status: "shipped", reason: "tracking 1Z999" });
    const delivered = await expectSuccess(context.client, "update_order_status", { order_id: orderId, status: "delivered" });
    expect(delivered.history.map((event: { from: string | null; to: string; reason: string | null }) => [event.from, event.to, event.reason])).toEqual([
      [null, "pending", "order created"],
      ["pending", "confirmed", "paid"],
      ["confirmed", "shipped", "tracking 1Z999"],
      ["shipped", "delivered", null],
    ]);
    expect(eventRows(context.database)).toHaveLength(4);
    expect(orderRows(context.database)[0]?.status).toBe("delivered");

    const fetched = await expectSuccess(context.client, "get_order", { order_id: orderId });
    expect(fetched.history).toEqual(delivered.history);
    expect(fetched.updated_at).toBe(delivered.updated_at);
  });

  it("allows cancelling from pending and from confirmed", async () => {
    const fromPending = await orderAt([]);
    const fromConfirmed = await orderAt(["confirmed"]);
    expect(await expectSuccess(context.client, "update_order_status", { order_id: fromPending, status: "cancelled" })).toMatchObject({ status: "cancelled" });
    expect(await expectSuccess(context.client, "cancel_order", { order_id: fromConfirmed })).toMatchObject({ status: "cancelled", previous_status: "confirmed" });
  });

  it("treats setting the current status again as a no-op success", async () => {
    const orderId = await orderAt(["confirmed"]);
    const before = snapshot();
    const again = await expectSuccess(context.client, "update_order_status", { order_id: orderId, status: "confirmed", reason: "duplicate webhook" });
    expect(again).toMatchObject({ status: "confirmed", previous_status: "confirmed", changed: false });
    expect(snapshot()).toEqual(before);

    await expectSuccess(context.client, "cancel_order", { order_id: orderId });
    const afterCancel = snapshot();
    expect(await expectSuccess(context.client, "cancel_order", { order_id: orderId })).toMatchObject({ status: "cancelled", changed: false });
    expect(snapshot()).toEqual(afterCancel);
  });

  const invalid: { path: OrderStatus[]; to: OrderStatus; message: RegExp }[] = [
    { path: [], to: "shipped", message: /cannot go from pending to shipped\. Allowed next statuses from pending: confirmed, cancelled\./ },
    { path: [], to: "delivered", message: /cannot go from pending to delivered\. Allowed next statuses from pending: confirmed, cancelled\./ },
    { path: ["confirmed"], to: "pending", message: /cannot go from confirmed to pending\. Allowed next statuses from confirmed: shipped, cancelled\./ },
    { path: ["confirmed"], to: "delivered", message: /Allowed next statuses from confirmed: shipped, cancelled\./ },
    { path: ["confirmed", "shipped"], to: "cancelled", message: /has already shipped and can no longer be cancelled\. Allowed next statuses from shipped: delivered\./ },
    { path: ["confirmed", "shipped"], to: "confirmed", message: /Allowed next statuses from shipped: delivered\./ },
    { path: ["confirmed", "shipped", "delivered"], to: "cancelled", message: /is delivered, a final status.*no further status changes are possible/ },
    { path: ["confirmed", "shipped", "delivered"], to: "shipped", message: /is delivered, a final status/ },
    { path: ["cancelled"], to: "confirmed", message: /is cancelled, a final status/ },
    { path: ["cancelled"], to: "pending", message: /is cancelled, a final status/ },
  ];

  for (const { path, to, message } of invalid) {
    const from = path.at(-1) ?? "pending";
    it(`refuses ${from} -> ${to} and changes nothing`, async () => {
      const orderId = await orderAt(path);
      const before = snapshot();
      const failure = await expectFailure(context.client, "update_order_status", { order_id: orderId, status: to, reason: "should not be stored" });
      expect(failure.code).toBe("INVALID_STATUS_TRANSITION");
      expect(failure.message).toMatch(message);
      expect(failure.message).toContain(orderId);
      expect(snapshot()).toEqual(before);
    });
  }

  it("refuses to cancel shipped or delivered orders, saying why, and changes nothing", async () => {
    const shipped = await orderAt(["confirmed", "shipped"]);
    const delivered = await orderAt(["confirmed", "shipped", "delivered"]);
    const before = snapshot();
    const shippedFailure = await expectFailure(context.client, "cancel_order", { order_id: shipped });
    expect(shippedFailure.message).toMatch(/has already shipped and can no longer be cancelled/);
    const deliveredFailure = await expectFailure(context.client, "cancel_order", { order_id: delivered });
    expect(deliveredFailure.message).toMatch(/is delivered, a final status, so it cannot become cancelled/);
    expect(snapshot()).toEqual(before);
  });
});
