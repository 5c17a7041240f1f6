import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInventoryServer, openInventoryDatabase, type InventoryDatabase } from "@switchyard/inventory-mcp";
import { afterEach, describe, expect, it } from "vitest";
import { FaultInjector, noFaults } from "../src/fault-injection.js";
import { createAgentService, inProcessMcpTarget, loadAgentConfig, type AgentService, type FaultSettings } from "../src/index.js";
import { answer, fastLimits, type JsonAnswer } from "./support/inventory-agent.js";

const inventoryDefaults = { serviceName: "inventory", defaultPort: 8081, defaultMcpUrl: "http://127.0.0.1:3001/mcp" };

interface FaultyAgent {
  service: AgentService;
  logs: string[];
  post(path: string, body: unknown): Promise<JsonAnswer>;
  get(path: string): Promise<JsonAnswer>;
}

const services: AgentService[] = [];
const inventories: InventoryDatabase[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.stop();
  for (const inventory of inventories.splice(0)) inventory.close();
});

function freshInventory(): InventoryDatabase {
  const inventory = openInventoryDatabase(mkdtempSync(join(tmpdir(), "fault-inventory-")));
  inventories.push(inventory);
  return inventory;
}

/** An inventory agent over the real inventory MCP server (in-process) with the given faults. */
async function faultyAgent(inventory: InventoryDatabase, faults: Partial<FaultSettings>): Promise<FaultyAgent> {
  const logs: string[] = [];
  const service = createAgentService({
    serviceName: "inventory",
    version: "0.1.0",
    description: "Retail stock",
    mcp: inProcessMcpTarget(() => createInventoryServer(inventory)),
    compensations: { reserve_stock: "release_reservation" },
    dataDir: mkdtempSync(join(tmpdir(), "fault-agent-")),
    limits: fastLimits,
    faults,
    log: (message) => logs.push(message),
  });
  await service.start();
  services.push(service);
  return {
    service,
    logs,
    get: async (path) => answer(await service.app.request(path)),
    post: async (path, body) =>
      answer(await service.app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })),
  };
}

const laptop = (inventory: InventoryDatabase) =>
  inventory.sqlite.prepare("SELECT available, reserved, sold FROM items WHERE sku = 'laptop'").get() as { available: number; reserved: number; sold: number };
const count = (inventory: InventoryDatabase, table: string) => (inventory.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

const checkLaptop = (i: number) => ({ request_id: `check-${i}`, operation: "check_inventory", parameters: { sku: "laptop", quantity: 1 } });

describe("fault settings from the environment", () => {
  it("reads the service's own variables and the shared seed; none by default", () => {
    expect(loadAgentConfig(inventoryDefaults, {}).faults).toEqual(noFaults);
    const config = loadAgentConfig(inventoryDefaults, {
      INVENTORY_FAULT_ERROR_RATE: "0.2",
      INVENTORY_FAULT_LATENCY_MS: "15",
      INVENTORY_FAULT_TIMEOUT_RATE: "0.1",
      FAULT_SEED: "42",
      ORDER_FAULT_ERROR_RATE: "0.9",
    });
    expect(config.faults).toEqual({ errorRate: 0.2, latencyMs: 15, timeoutRate: 0.1, seed: 42 });
  });

  it("refuses rates outside 0..1, rates that add up to more than 1, and a bad seed, naming each variable", () => {
    expect(() => loadAgentConfig(inventoryDefaults, { INVENTORY_FAULT_ERROR_RATE: "1.5" })).toThrow(/INVENTORY_FAULT_ERROR_RATE/);
    expect(() => loadAgentConfig(inventoryDefaults, { INVENTORY_FAULT_LATENCY_MS: "-1" })).toThrow(/INVENTORY_FAULT_LATENCY_MS/);
    expect(() => loadAgentConfig(inventoryDefaults, { FAULT_SEED: "soon" })).toThrow(/FAULT_SEED/);
    expect(() => loadAgentConfig(inventoryDefaults, { INVENTORY_FAULT_ERROR_RATE: "0.6", INVENTORY_FAULT_TIMEOUT_RATE: "0.6" })).toThrow(
      /INVENTORY_FAULT_ERROR_RATE and INVENTORY_FAULT_TIMEOUT_RATE must add up to at most 1/,
    );
  });
});

describe("seeded draws", () => {
  it("give the same sequence for the same seed and service, another for another seed or service", () => {
    const settings = { ...noFaults, errorRate: 0.3, timeoutRate: 0.1, seed: 7 };
    const draw = (injector: FaultInjector) => Array.from({ length: 500 }, () => injector.next().outcome);
    const first = draw(new FaultInjector(settings, "inventory"));
    expect(draw(new FaultInjector(settings, "inventory"))).toEqual(first);
    expect(draw(new FaultInjector({ ...settings, seed: 8 }, "inventory"))).not.toEqual(first);
    expect(draw(new FaultInjector(settings, "order"))).not.toEqual(first);
    // Close to the configured rates over 500 draws.
    const errors = first.filter((o) => o === "error").length;
    const timeouts = first.filter((o) => o === "timeout").length;
    expect(errors).toBeGreaterThan(500 * 0.3 - 50);
    expect(errors).toBeLessThan(500 * 0.3 + 50);
    expect(timeouts).toBeGreaterThan(500 * 0.1 - 30);
    expect(timeouts).toBeLessThan(500 * 0.1 + 30);
  });
});

describe("POST /execute with injected faults", () => {
  it("observes the same errors, call by call, on two services with the same seed", async () => {
    const inventory = freshInventory();
    const outcomes = async (seed: number) => {
      const agent = await faultyAgent(inventory, { errorRate: 0.25, seed });
      const statuses: number[] = [];
      for (let i = 0; i < 80; i += 1) statuses.push((await agent.post("/execute", checkLaptop(i))).status);
      return statuses;
    };
    const first = await outcomes(1234);
    expect(await outcomes(1234)).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 503]));
    const injected = first.filter((s) => s === 503).length;
    expect(injected).toBeGreaterThan(5);
    expect(injected).toBeLessThan(40);
    expect(await outcomes(4321)).not.toEqual(first);
  });

  it("an injected error answers 503 INJECTED_FAULT (retryable) and makes no MCP call: the database is unchanged", async () => {
    const inventory = freshInventory();
    const agent = await faultyAgent(inventory, { errorRate: 1, seed: 1 });
    expect(agent.logs.join("\n")).toContain("fault injection is on: error rate 1, latency 0 ms, timeout rate 0, seed 1");
    const reply = await agent.post("/execute", {
      request_id: "wf-1:reserve_stock",
      operation: "reserve_stock",
      parameters: { sku: "laptop", quantity: 2 },
      context: { idempotency_key: "wf-1:reserve_stock" },
    });
    expect(reply.status).toBe(503);
    expect(reply.body).toMatchObject({ request_id: "wf-1:reserve_stock", success: false, result: null, error: { code: "INJECTED_FAULT", retryable: true } });
    expect(laptop(inventory)).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(count(inventory, "reservations")).toBe(0);
    expect(count(inventory, "idempotency_keys")).toBe(0);
  });

  it("an invalid request still gets its 400, not an injected fault", async () => {
    const agent = await faultyAgent(freshInventory(), { errorRate: 1, seed: 1 });
    const reply = await agent.post("/execute", { request_id: "bad", operation: "reserve_stock", parameters: { sku: "laptop", quantity: -1 } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("INVALID_PARAMETERS");
  });

  it("the async path fails the task with the injected fault and changes nothing", async () => {
    const inventory = freshInventory();
    const agent = await faultyAgent(inventory, { errorRate: 1, seed: 1 });
    const accepted = await agent.post("/execute-async", { request_id: "async-1", operation: "reserve_stock", parameters: { sku: "laptop", quantity: 1 } });
    expect(accepted.status).toBe(202);
    let task = await agent.get(`/status/${accepted.body.task_id}`);
    for (let i = 0; i < 200 && !["succeeded", "failed"].includes(task.body.status); i += 1) {
      await new Promise((r) => setTimeout(r, 20));
      task = await agent.get(`/status/${accepted.body.task_id}`);
    }
    expect(task.body.status).toBe("failed");
    expect(task.body.response.error).toMatchObject({ code: "INJECTED_FAULT", retryable: true });
    expect(laptop(inventory)).toEqual({ available: 10, reserved: 0, sold: 0 });
  });

  it("an injected timeout takes effect, answers 504 after the deadline, and a retry with the same key does not repeat the effect", async () => {
    const inventory = freshInventory();
    const faulty = await faultyAgent(inventory, { timeoutRate: 1, seed: 3 });
    const request = {
      request_id: "wf-2:reserve_stock",
      operation: "reserve_stock",
      parameters: { sku: "laptop", quantity: 2 },
      context: { idempotency_key: "wf-2:reserve_stock" },
      timeout: 0.3,
    };
    const first = await faulty.post("/execute", request);
    expect(first.status).toBe(504);
    expect(first.body.error).toMatchObject({ code: "TIMEOUT", retryable: true });
    expect(first.body.error.message).toContain("injected timeout: the call took effect");
    // The caller saw a timeout, yet the reservation exists.
    expect(laptop(inventory)).toEqual({ available: 8, reserved: 2, sold: 0 });
    const [held] = inventory.sqlite.prepare("SELECT id FROM reservations").all() as Array<{ id: string }>;

    // Retrying on the same (still faulty) service times out again, without a second effect.
    expect((await faulty.post("/execute", request)).status).toBe(504);
    expect(laptop(inventory)).toEqual({ available: 8, reserved: 2, sold: 0 });

    // Once the fault is gone, the retry returns the first result.
    const healthy = await faultyAgent(inventory, {});
    const retry = await healthy.post("/execute", request);
    expect(retry.status).toBe(200);
    expect(retry.body.result.reservation_id).toBe(held!.id);
    expect(laptop(inventory)).toEqual({ available: 8, reserved: 2, sold: 0 });
    expect(count(inventory, "reservations")).toBe(1);
  });

  it("injected latency counts against the deadline: a call it pushes past the deadline is never made", async () => {
    const inventory = freshInventory();
    const agent = await faultyAgent(inventory, { latencyMs: 500, seed: 1 });
    const reply = await agent.post("/execute", { request_id: "late", operation: "reserve_stock", parameters: { sku: "laptop", quantity: 1 }, timeout: 0.05 });
    expect(reply.status).toBe(504);
    expect(reply.body.error.code).toBe("TIMEOUT");
    expect(laptop(inventory)).toEqual({ available: 10, reserved: 0, sold: 0 });
    const unhurried = await agent.post("/execute", { request_id: "on-time", operation: "reserve_stock", parameters: { sku: "laptop", quantity: 1 }, timeout: 5 });
    expect(unhurried.status).toBe(200);
    expect(laptop(inventory)).toEqual({ available: 9, reserved: 1, sold: 0 });
  });

  it("without fault settings nothing is injected", async () => {
    const agent = await faultyAgent(freshInventory(), {});
    for (let i = 0; i < 20; i += 1) expect((await agent.post("/execute", checkLaptop(i))).status).toBe(200);
    expect(agent.logs.join("\n")).not.toContain("fault injection");
  });
});
