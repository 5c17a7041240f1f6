import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { post, startInProcessStack, type InProcessStack } from "./support/in-process-stack.js";

let stack: InProcessStack;
beforeEach(async () => {
  stack = await startInProcessStack();
});
afterEach(async () => {
  await stack.close();
});

const laptop = () => stack.query<{ available: number; reserved: number; sold: number }>("inventory", "SELECT available, reserved, sold FROM items WHERE sku = 'laptop'")[0]!;

describe("the retail story on the rule planner", () => {
  test("Place an order for 2 laptops: stock down by 2, one confirmed order, nothing left reserved", async () => {
    const { status, body } = await post(stack, "/orchestrate", { user_request: "Place an order for 2 laptops" });
    expect(status).toBe(200);
    expect(body.success).toBe(true);
    expect(body.execution_results.map((s: { status: string }) => s.status)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded", "succeeded"]);
    expect(laptop()).toEqual({ available: 8, reserved: 0, sold: 2 });
    const orders = stack.query<{ sku: string; quantity: number; status: string }>("order", "SELECT sku, quantity, status FROM orders");
    expect(orders).toEqual([{ sku: "laptop", quantity: 2, status: "confirmed" }]);
    expect(stack.query("inventory", "SELECT * FROM reservations WHERE status = 'held'")).toEqual([]);
    expect(body.final_result).toContain("Progress: 5/5 steps succeeded");
    expect(body.final_result).toContain("✅");
  });

  test("20 parallel orders of 2 with stock 10: exactly 5 succeed, 15 fail as out of stock, nothing left behind", async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(stack, "/orchestrate", { request_id: `parallel-${i}`, user_request: "Place an order for 2 laptops" })),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const succeeded = responses.filter((r) => r.body.success);
    const failed = responses.filter((r) => !r.body.success);
    expect(succeeded).toHaveLength(5);
    expect(failed).toHaveLength(15);
    for (const r of failed) expect(r.body.error).toMatch(/Out of stock: 2 × laptop requested but only \d+ available/);
    expect(laptop()).toEqual({ available: 0, reserved: 0, sold: 10 });
    expect(stack.query("order", "SELECT status, count(*) AS n FROM orders GROUP BY status")).toEqual([{ status: "confirmed", n: 5 }]);
    expect(stack.query("inventory", "SELECT * FROM reservations WHERE status = 'held'")).toEqual([]);
  });

  test("Cancel order returns the stock and cancels the order", async () => {
    const placed = await post(stack, "/orchestrate", { user_request: "Place an order for 3 laptops" });
    const orderId = placed.body.execution_results.find((s: { step_id: string }) => s.step_id === "create_order").result.order_id as string;
    const cancelled = await post(stack, "/orchestrate", { user_request: `Cancel order ${orderId}` });
    expect(cancelled.body.success).toBe(true);
    expect(laptop()).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(stack.query("order", "SELECT status FROM orders WHERE id = ?", orderId)).toEqual([{ status: "cancelled" }]);
  });

  test("Check stock of an item reads without changing anything", async () => {
    const { body } = await post(stack, "/orchestrate", { user_request: "Check stock of monitors" });
    expect(body.success).toBe(true);
    expect(body.execution_results[0].result).toMatchObject({ sku: "monitor", available: 25 });
  });
});

describe("the automotive story on the rule planner", () => {
  test("Add part 1234 to RO 1234 and send a $100 payment link: four steps, the two reads in parallel", async () => {
    const { body } = await post(stack, "/orchestrate", {
      user_request: "Add part 1234 to RO 1234 and send a payment link of $100 to jordan.lee@example.com",
    });
    expect(body.success).toBe(true);
    const steps = Object.fromEntries(body.execution_results.map((s: { step_id: string }) => [s.step_id, s]));
    expect(Object.keys(steps)).toEqual(["check_part", "get_repair_order", "add_part", "payment_link"]);
    const reads = [steps.check_part, steps.get_repair_order];
    // Both reads started before either finished, and the mutation waited for both.
    expect(Math.max(...reads.map((s) => Date.parse(s.started_at)))).toBeLessThanOrEqual(Math.min(...reads.map((s) => Date.parse(s.finished_at))));
    expect(Date.parse(steps.add_part.started_at)).toBeGreaterThanOrEqual(Math.max(...reads.map((s) => Date.parse(s.finished_at))));
    expect(stack.query("repair-orders", "SELECT part_number, quantity FROM repair_order_parts WHERE repair_order_id = '1234' AND part_number = '1234'")).toHaveLength(1);
    const payments = stack.query<{ invoice_number: string; amount_cents: number; customer_email: string }>(
      "payment",
      "SELECT invoice_number, amount_cents, customer_email FROM payments WHERE invoice_number = '1234'",
    );
    expect(payments).toEqual([{ invoice_number: "1234", amount_cents: 10_000, customer_email: "jordan.lee@example.com" }]);
  });

  test("Update RO status checks the transition first and refuses an invalid one without changing the RO", async () => {
    const refused = await post(stack, "/orchestrate", { user_request: "Update RO 1234 status to closed" });
    expect(refused.body.success).toBe(false);
    expect(refused.body.final_result).toContain("check_transition");
    expect(stack.query("repair-orders", "SELECT status FROM repair_orders WHERE id = '1234'")).toEqual([{ status: "in_progress" }]);
    const moved = await post(stack, "/orchestrate", { user_request: "Update RO 1234 status to quality_check" });
    expect(moved.body.success).toBe(true);
    expect(stack.query("repair-orders", "SELECT status FROM repair_orders WHERE id = '1234'")).toEqual([{ status: "quality_check" }]);
  });
});
