import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callTool,
  expectSuccess,
  removeDataDir,
  runToolCalls,
  startHttpReplicas,
  stdioEntryTransport,
  temporaryDataDir,
  type HttpReplicas,
} from "@switchyard/mcp-kit/testing";
import { openPartsDatabase, partsSchema } from "../src/index.js";
import { toolCalls } from "./tool-calls.js";

const httpEntry = fileURLToPath(new URL("../src/http.ts", import.meta.url));
const stdioEntry = fileURLToPath(new URL("../src/stdio.ts", import.meta.url));

describe("HTTP entry", () => {
  let dataDir: string;
  let replicas: HttpReplicas;

  beforeAll(async () => {
    dataDir = temporaryDataDir("parts-http");
    // Two processes on one database file, as when the service is scaled out.
    replicas = await startHttpReplicas(httpEntry, { DATA_DIR: dataDir, PARTS_MCP_PORT: "0" }, { clientName: "parts-entries-test" });
  });

  afterAll(async () => {
    await replicas?.stop();
    removeDataDir(dataDir);
  });

  it("logs its URL to stderr, answers /health and keeps parts.db under DATA_DIR", async () => {
    const [server] = replicas.servers;
    expect(server?.stderr()).toContain("[parts-mcp] listening on http://127.0.0.1:");
    const response = await fetch(`${server!.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", server: "parts" });
    expect(existsSync(join(dataDir, "parts.db"))).toBe(true);
  });

  it("serves every sample tool call over Streamable HTTP", async () => {
    const { tools } = await replicas.clients[0]!.listTools();
    expect(tools).toHaveLength(8);
    await runToolCalls(replicas.clients[0]!, toolCalls);
  });

  it("never oversells across processes: 30 concurrent reservations of the last 5 units, 5 succeed", async () => {
    const database = openPartsDatabase(dataDir);
    try {
      database.db.update(partsSchema.parts).set({ available: 5 }).where(eq(partsSchema.parts.partNumber, "CF-5510")).run();
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          callTool(replicas.clients[index % 2]!, "reserve_parts", { part_numbers: ["CF-5510"], repair_order_id: `RO-${index}` }),
        ),
      );
      expect(results.filter((result) => !result.isError)).toHaveLength(5);
      for (const result of results.filter((candidate) => candidate.isError)) {
        expect(result.content[0]?.text).toContain("CF-5510 needs 1, 0 available");
      }
      const part = database.db.select().from(partsSchema.parts).where(eq(partsSchema.parts.partNumber, "CF-5510")).get();
      expect(part).toMatchObject({ available: 0, reserved: 5 });
      const lines = database.db.select().from(partsSchema.partReservationLines).where(eq(partsSchema.partReservationLines.partNumber, "CF-5510")).all();
      expect(lines).toHaveLength(5);
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
    dataDir = temporaryDataDir("parts-stdio");
    client = new Client({ name: "parts-stdio-test", version: "0.1.0" });
    await client.connect(stdioEntryTransport(stdioEntry, { DATA_DIR: dataDir }));
  });

  afterAll(async () => {
    await client.close();
    removeDataDir(dataDir);
  });

  it("serves the tools over stdin/stdout with its database under DATA_DIR", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("reserve_parts");
    const part = await expectSuccess(client, "get_part_details", { part_number: "1234" });
    expect(part).toMatchObject({ name: "Brake Pad Set", available: 24 });
    expect(existsSync(join(dataDir, "parts.db"))).toBe(true);
  });
});
