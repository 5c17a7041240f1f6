import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectSuccess,
  removeDataDir,
  runToolCalls,
  startHttpReplicas,
  stdioEntryTransport,
  temporaryDataDir,
  type HttpReplicas,
} from "@switchyard/mcp-kit/testing";
import { openRepairOrdersDatabase, repairOrdersSchema } from "../src/index.js";
import { toolCalls } from "./tool-calls.js";

const httpEntry = fileURLToPath(new URL("../src/http.ts", import.meta.url));
const stdioEntry = fileURLToPath(new URL("../src/stdio.ts", import.meta.url));

describe("HTTP entry", () => {
  let dataDir: string;
  let replicas: HttpReplicas;

  beforeAll(async () => {
    dataDir = temporaryDataDir("repair-orders-http");
    // Two processes on one database file, as when the service is scaled out.
    replicas = await startHttpReplicas(httpEntry, { DATA_DIR: dataDir, REPAIR_ORDERS_MCP_PORT: "0" }, { clientName: "repair-orders-entries-test" });
  });

  afterAll(async () => {
    await replicas?.stop();
    removeDataDir(dataDir);
  });

  it("logs its URL to stderr, answers /health and keeps repair-orders.db under DATA_DIR", async () => {
    const [server] = replicas.servers;
    expect(server?.stderr()).toContain("[repair-orders-mcp] listening on http://127.0.0.1:");
    const response = await fetch(`${server!.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", server: "repair-orders" });
    expect(existsSync(join(dataDir, "repair-orders.db"))).toBe(true);
  });

  it("serves every sample tool call over Streamable HTTP", async () => {
    const { tools } = await replicas.clients[0]!.listTools();
    expect(tools).toHaveLength(9);
    await runToolCalls(replicas.clients[0]!, toolCalls);
  });

  it("two processes on one database hand out distinct repair order ids and honour one idempotency key", async () => {
    const order = {
      customer_name: "Alex Kim",
      customer_email: "alex.kim@example.com",
      vehicle: { make: "Honda", model: "Civic", year: 2017 },
      description: "Check engine light on",
    };
    const database = openRepairOrdersDatabase(dataDir);
    try {
      const countRows = () => database.db.select().from(repairOrdersSchema.repairOrders).all().length;
      const before = countRows();
      const fresh = await Promise.all(Array.from({ length: 10 }, (_, index) => expectSuccess(replicas.clients[index % 2]!, "create_repair_order", order)));
      expect(new Set(fresh.map((created) => created.repair_order_id)).size).toBe(10);
      const keyed = await Promise.all(
        Array.from({ length: 10 }, (_, index) => expectSuccess(replicas.clients[index % 2]!, "create_repair_order", { ...order, idempotency_key: "e2e-create" })),
      );
      for (const created of keyed) expect(created).toEqual(keyed[0]);
      // 10 without a key, 1 for the shared key.
      expect(countRows()).toBe(before + 11);
    } finally {
      database.close();
    }
  });

  it("refuses a foreign Origin", async () => {
    const response = await fetch(`${replicas.servers[0]!.url}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", origin: "https://evil.example" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(response.status).toBe(403);
  });
});

describe("stdio entry", () => {
  let dataDir: string;
  let client: Client;

  beforeAll(async () => {
    dataDir = temporaryDataDir("repair-orders-stdio");
    client = new Client({ name: "repair-orders-stdio-test", version: "0.1.0" });
    await client.connect(stdioEntryTransport(stdioEntry, { DATA_DIR: dataDir }));
  });

  afterAll(async () => {
    await client.close();
    removeDataDir(dataDir);
  });

  it("serves the tools over stdin/stdout with its database under DATA_DIR", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("update_repair_order_status");
    const order = await expectSuccess(client, "get_repair_order_details", { repair_order_id: "1234" });
    expect(order).toMatchObject({ customer_name: "Jordan Lee", status: "in_progress" });
    expect(existsSync(join(dataDir, "repair-orders.db"))).toBe(true);
  });
});
