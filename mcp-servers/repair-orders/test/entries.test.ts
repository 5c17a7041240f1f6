import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRepairOrdersDatabase, repairOrdersSchema } from "../src/index.js";
import { spawnHttpServer, type SpawnedHttpServer } from "./spawned-http-server.js";
import { toolCalls } from "./tool-calls.js";
import { expectSuccess, runToolCalls } from "./tool-results.js";

const httpEntry = fileURLToPath(new URL("../src/http.ts", import.meta.url));
const stdioEntry = fileURLToPath(new URL("../src/stdio.ts", import.meta.url));
const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));

async function connectHttpClient(url: string): Promise<Client> {
  const client = new Client({ name: "repair-orders-entries-test", version: "0.1.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
  return client;
}

describe("HTTP entry", () => {
  let dataDir: string;
  const servers: SpawnedHttpServer[] = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "switchyard-repair-orders-http-"));
    // Two processes on one database file, as when the service is scaled out.
    servers.push(await spawnHttpServer(httpEntry, { DATA_DIR: dataDir, REPAIR_ORDERS_MCP_PORT: "0" }));
    servers.push(await spawnHttpServer(httpEntry, { DATA_DIR: dataDir, REPAIR_ORDERS_MCP_PORT: "0" }));
    for (const server of servers) clients.push(await connectHttpClient(server.url));
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("logs its URL to stderr, answers /health and keeps repair-orders.db under DATA_DIR", async () => {
    const [server] = servers;
    expect(server?.log()).toContain("[repair-orders-mcp] listening on http://127.0.0.1:");
    const response = await fetch(`${server!.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", server: "repair-orders" });
    expect(existsSync(join(dataDir, "repair-orders.db"))).toBe(true);
  });

  it("serves every sample tool call over Streamable HTTP", async () => {
    const { tools } = await clients[0]!.listTools();
    expect(tools).toHaveLength(9);
    await runToolCalls(clients[0]!, toolCalls);
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
      const fresh = await Promise.all(Array.from({ length: 10 }, (_, index) => expectSuccess(clients[index % 2]!, "create_repair_order", order)));
      expect(new Set(fresh.map((created) => created.repair_order_id)).size).toBe(10);
      const keyed = await Promise.all(
        Array.from({ length: 10 }, (_, index) => expectSuccess(clients[index % 2]!, "create_repair_order", { ...order, idempotency_key: "e2e-create" })),
      );
      for (const created of keyed) expect(created).toEqual(keyed[0]);
      // 10 without a key, 1 for the shared key.
      expect(countRows()).toBe(before + 11);
    } finally {
      database.close();
    }
  });

  it("refuses a foreign Origin", async () => {
    const response = await fetch(`${servers[0]!.url}/mcp`, {
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
    dataDir = mkdtempSync(join(tmpdir(), "switchyard-repair-orders-stdio-"));
    const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
    client = new Client({ name: "repair-orders-stdio-test", version: "0.1.0" });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ["--import", "tsx", stdioEntry],
        cwd: repositoryRoot,
        env: { ...env, DATA_DIR: dataDir },
        stderr: "pipe",
      }),
    );
  });

  afterAll(async () => {
    await client.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("serves the tools over stdin/stdout with its database under DATA_DIR", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("update_repair_order_status");
    const order = await expectSuccess(client, "get_repair_order_details", { repair_order_id: "1234" });
    expect(order).toMatchObject({ customer_name: "Jordan Lee", status: "in_progress" });
    expect(existsSync(join(dataDir, "repair-orders.db"))).toBe(true);
  });
});
