import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePorts } from "../../scripts/stack-launcher.js";
import { runScript, startTestStack, type TestStack } from "./support/test-stack.js";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ llm: "rules" });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const laptop = () => stack.query<{ available: number; reserved: number; sold: number }>("inventory", "SELECT available, reserved, sold FROM items WHERE sku = 'laptop'")[0];

describe("examples/retail/run.ts", () => {
  test("orders 2 laptops, sees the stock go from 10 to 8, cancels, sees 10 again; every check passes", { timeout: 120_000 }, async () => {
    const run = await runScript("examples/retail/run.ts", ["--url", stack.urls.orchestrator]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('▶ "Place an order for 2 laptops"');
    expect(run.stdout).toContain("Progress: 5/5 steps succeeded");
    expect(run.stdout).toContain("✔ the stock went down by 2, from 10 to 8");
    expect(run.stdout).toContain("✔ the stock is back to 10");
    expect(run.stdout).toContain("Laptops available: 10 before, 8 after the order, 10 after the cancellation.");
    expect(run.stdout).toMatch(/retail: all \d+ checks passed/);
    expect(run.stdout).not.toContain("✘");
    // The story leaves the data as it found it, with the cancelled order on record.
    expect(laptop()).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(stack.query("order", "SELECT sku, quantity, status FROM orders")).toEqual([{ sku: "laptop", quantity: 2, status: "cancelled" }]);
    expect(stack.query("inventory", "SELECT status FROM reservations")).toEqual([{ status: "released" }]);
  });

  test("can run again on the same stack", { timeout: 120_000 }, async () => {
    const run = await runScript("examples/retail/run.ts", ["--url", stack.urls.orchestrator]);
    expect(run.code).toBe(0);
    expect(stack.query("order", "SELECT status, count(*) AS n FROM orders GROUP BY status")).toEqual([{ status: "cancelled", n: 2 }]);
    expect(laptop()).toEqual({ available: 10, reserved: 0, sold: 0 });
  });
});

describe("examples/automotive/run.ts", () => {
  test("adds part 1234 to RO 1234, sends the $100 link, is refused closing the RO, then moves it to quality_check", { timeout: 120_000 }, async () => {
    const run = await runScript("examples/automotive/run.ts", ["--url", stack.urls.orchestrator]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Progress: 4/4 steps succeeded");
    expect(run.stdout).toContain("[parallel group validate]");
    expect(run.stdout).toContain("✔ a $100 payment link went to jordan.lee@example.com for invoice 1234");
    expect(run.stdout).toContain("✔ moving RO 1234 from in_progress to closed is refused at the transition check");
    expect(run.stdout).toContain("✔ RO 1234 moved from in_progress to quality_check");
    expect(run.stdout).toMatch(/automotive: all \d+ checks passed/);
    expect(stack.query("repair-orders", "SELECT status FROM repair_orders WHERE id = '1234'")).toEqual([{ status: "quality_check" }]);
    expect(stack.query("repair-orders", "SELECT count(*) AS n FROM repair_order_parts WHERE repair_order_id = '1234' AND part_number = '1234'")).toEqual([{ n: 1 }]);
    expect(stack.query("payment", "SELECT amount_cents, customer_email FROM payments WHERE invoice_number = '1234'")).toEqual([
      { amount_cents: 10_000, customer_email: "jordan.lee@example.com" },
    ]);
  });

  test("runs again from quality_check, moving the RO back to in_progress", { timeout: 120_000 }, async () => {
    const run = await runScript("examples/automotive/run.ts", ["--url", stack.urls.orchestrator]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("✔ RO 1234 moved from quality_check to in_progress");
    expect(stack.query("repair-orders", "SELECT status FROM repair_orders WHERE id = '1234'")).toEqual([{ status: "in_progress" }]);
    expect(stack.query("payment", "SELECT count(*) AS n FROM payments WHERE invoice_number = '1234'")).toEqual([{ n: 2 }]);
  });
});

describe("both examples as commands", () => {
  test.each(["retail", "automotive"])("%s: --help explains the script and exits 0", async (name) => {
    const run = await runScript(`examples/${name}/run.ts`, ["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: npx tsx examples/${name}/run.ts [--url <orchestrator url>]`);
    expect(run.stdout).toContain("npm start");
  });

  test.each(["retail", "automotive"])("%s: a stack that is not running is a clear error with exit code 2", async (name) => {
    const [port] = await freePorts(1);
    const run = await runScript(`examples/${name}/run.ts`, ["--url", `http://127.0.0.1:${port}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${name}: cannot reach the orchestrator at http://127.0.0.1:${port}; is the stack running? Start it with \`npm start\``);
    expect(run.stdout).toBe("");
  });

  test("a bad option or URL is a usage error", async () => {
    const unknown = await runScript("examples/retail/run.ts", ["--colour", "blue"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--colour'");
    const badUrl = await runScript("examples/retail/run.ts", ["--url", "not a url"]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('--url "not a url" is not an http(s) URL');
  });
});
