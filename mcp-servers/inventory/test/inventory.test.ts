import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { startInMemoryServer, temporaryDataDir, type InMemoryServer } from "@switchyard/mcp-kit/testing";
import { inventoryServerDefinition, openInventoryDatabase, type InventoryDatabase } from "../src/index.js";

let server: InMemoryServer<InventoryDatabase>;
let database: InventoryDatabase;
let client: Client;

beforeEach(async () => {
  server = await startInMemoryServer(inventoryServerDefinition);
  ({ database, client } = server);
});

afterEach(async () => {
  await server.close();
});

function stockOf(sku: string) {
  return database.sqlite.prepare("SELECT available, reserved, sold FROM items WHERE sku = ?").get(sku) as {
    available: number;
    reserved: number;
    sold: number;
  };
}

function reservationCount(): number {
  return (database.sqlite.prepare("SELECT count(*) AS n FROM reservations").get() as { n: number }).n;
}

function setAvailable(sku: string, available: number): void {
  database.sqlite.prepare("UPDATE items SET available = ? WHERE sku = ?").run(available, sku);
}

async function call(name: string, args: Record<string, unknown>) {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = (result.content as Array<{ type: string; text?: string }>)[0]?.text ?? "";
  return { ...result, text, data: result.structuredContent as Record<string, unknown> | undefined };
}

describe("seed data", () => {
  test("a fresh database has laptop stock 10 and a few other items", async () => {
    const { data } = await call("list_items", {});
    const items = data!.items as Array<{ sku: string; available: number }>;
    expect(items.find((item) => item.sku === "laptop")?.available).toBe(10);
    expect(items.length).toBeGreaterThanOrEqual(4);
  });

  test("reopening a database does not seed twice", () => {
    const dir = temporaryDataDir("inventory-reopen");
    openInventoryDatabase(dir).close();
    const again = openInventoryDatabase(dir);
    const n = (again.sqlite.prepare("SELECT count(*) AS n FROM items WHERE sku = 'laptop'").get() as { n: number }).n;
    again.close();
    expect(n).toBe(1);
  });
});

describe("reservations", () => {
  test("reserve, commit and release move stock between available, reserved and sold", async () => {
    const reserved = await call("reserve_stock", { sku: "laptop", quantity: 3 });
    expect(reserved.isError).toBeFalsy();
    expect(reserved.data).toMatchObject({ sku: "laptop", quantity: 3, status: "held", remaining_available: 7 });
    expect(stockOf("laptop")).toEqual({ available: 7, reserved: 3, sold: 0 });

    const committed = await call("commit_reservation", { reservation_id: reserved.data!.reservation_id });
    expect(committed.data).toMatchObject({ status: "committed", already_committed: false });
    expect(stockOf("laptop")).toEqual({ available: 7, reserved: 0, sold: 3 });

    const returned = await call("release_reservation", { reservation_id: reserved.data!.reservation_id });
    expect(returned.data).toMatchObject({ status: "released", already_released: false });
    expect(stockOf("laptop")).toEqual({ available: 10, reserved: 0, sold: 0 });

    const again = await call("release_reservation", { reservation_id: reserved.data!.reservation_id });
    expect(again.data).toMatchObject({ status: "released", already_released: true });
    expect(stockOf("laptop")).toEqual({ available: 10, reserved: 0, sold: 0 });
  });

  test("a released reservation cannot be committed", async () => {
    const reserved = await call("reserve_stock", { sku: "laptop", quantity: 1 });
    await call("release_reservation", { reservation_id: reserved.data!.reservation_id });
    const commit = await call("commit_reservation", { reservation_id: reserved.data!.reservation_id });
    expect(commit.isError).toBe(true);
    expect(commit.text).toMatch(/released/);
    expect(stockOf("laptop")).toEqual({ available: 10, reserved: 0, sold: 0 });
  });

  test("out of stock says how many are available and changes nothing", async () => {
    const result = await call("reserve_stock", { sku: "laptop", quantity: 11 });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("only 10 available");
    expect(result._meta).toMatchObject({ error_code: "OUT_OF_STOCK" });
    expect(stockOf("laptop")).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(reservationCount()).toBe(0);
  });

  test("50 concurrent reservations of 1 with 5 left: exactly 5 succeed and stock ends at 0", async () => {
    setAvailable("laptop", 5);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => call("reserve_stock", { sku: "laptop", quantity: 1 })),
    );
    expect(results.filter((r) => !r.isError)).toHaveLength(5);
    expect(results.filter((r) => r.isError).every((r) => r.text.startsWith("Out of stock"))).toBe(true);
    expect(stockOf("laptop")).toEqual({ available: 0, reserved: 5, sold: 0 });
    expect(reservationCount()).toBe(5);
  });

  test("50 concurrent reservations from separate connections to one file never oversell", async () => {
    setAvailable("laptop", 5);
    // Separate database connections, as separate server processes would have.
    const others = await Promise.all(Array.from({ length: 4 }, () => startInMemoryServer(inventoryServerDefinition, { dataDir: server.dataDir })));
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => others[i % others.length]!.client.callTool({ name: "reserve_stock", arguments: { sku: "laptop", quantity: 1 } })),
    );
    await Promise.all(others.map((other) => other.close()));
    expect(results.filter((r) => !r.isError)).toHaveLength(5);
    expect(stockOf("laptop").available).toBe(0);
  });

  test("50 parallel duplicates of one idempotency key: one reservation, identical answers", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, () => call("reserve_stock", { sku: "laptop", quantity: 2, idempotency_key: "order-42:reserve" })),
    );
    expect(results.every((r) => !r.isError)).toBe(true);
    const ids = new Set(results.map((r) => r.data!.reservation_id));
    expect(ids.size).toBe(1);
    expect(new Set(results.map((r) => JSON.stringify(r.data))).size).toBe(1);
    expect(reservationCount()).toBe(1);
    expect(stockOf("laptop")).toEqual({ available: 8, reserved: 2, sold: 0 });
  });

  test("the same idempotency key with different arguments is refused", async () => {
    await call("reserve_stock", { sku: "laptop", quantity: 2, idempotency_key: "k1" });
    const reused = await call("reserve_stock", { sku: "laptop", quantity: 3, idempotency_key: "k1" });
    expect(reused.isError).toBe(true);
    expect(reused.text).toMatch(/already used .* different arguments/);
    expect(reservationCount()).toBe(1);
    expect(stockOf("laptop").available).toBe(8);
  });
});

describe("bad input gets a clear error and changes nothing", () => {
  const cases: Array<[string, string, Record<string, unknown>, RegExp]> = [
    ["zero quantity", "reserve_stock", { sku: "laptop", quantity: 0 }, /quantity/],
    ["negative quantity", "reserve_stock", { sku: "laptop", quantity: -3 }, /quantity/],
    ["fractional quantity", "reserve_stock", { sku: "laptop", quantity: 1.5 }, /quantity/],
    ["missing sku", "reserve_stock", { quantity: 1 }, /sku/],
    ["missing quantity", "check_inventory", { sku: "laptop" }, /quantity/],
    ["unknown sku", "reserve_stock", { sku: "spaceship", quantity: 1 }, /Unknown sku "spaceship". Known skus: .*laptop/],
    ["unknown reservation", "commit_reservation", { reservation_id: "res_nope" }, /Unknown reservation/],
    ["negative restock", "restock", { sku: "laptop", quantity: -10 }, /quantity/],
  ];
  test.each(cases)("%s", async (_label, tool, args, message) => {
    const before = JSON.stringify(database.sqlite.prepare("SELECT * FROM items ORDER BY sku").all());
    const result = await call(tool, args);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(message);
    expect(JSON.stringify(database.sqlite.prepare("SELECT * FROM items ORDER BY sku").all())).toBe(before);
    expect(reservationCount()).toBe(0);
  });
});

describe("resources and prompts", () => {
  test("the catalogue and single items are readable resources", async () => {
    const listed = await client.listResources();
    expect(listed.resources.map((r) => r.uri)).toContain("inventory://items");
    const catalogue = await client.readResource({ uri: "inventory://items" });
    expect(JSON.parse((catalogue.contents[0] as { text: string }).text)).toEqual(expect.arrayContaining([expect.objectContaining({ sku: "laptop" })]));
    const laptop = await client.readResource({ uri: "inventory://items/laptop" });
    expect(JSON.parse((laptop.contents[0] as { text: string }).text)).toMatchObject({ sku: "laptop", available: 10 });
  });

  test("the reserve-for-order prompt names the tools to use", async () => {
    const prompts = await client.listPrompts();
    expect(prompts.prompts.map((p) => p.name)).toContain("reserve-for-order");
    const prompt = await client.getPrompt({ name: "reserve-for-order", arguments: { sku: "laptop", quantity: "2" } });
    const content = prompt.messages[0]!.content as { type: string; text: string };
    expect(content.text).toContain("check_inventory");
    expect(content.text).toContain("2 × laptop");
  });
});
