import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDataDir, startHttpReplicas, stdioEntryTransport, temporaryDataDir, type HttpReplicas } from "@switchyard/mcp-kit/testing";
import { openOrderDatabase } from "../src/index.js";
import { orderRows } from "./order-rows.js";

const httpEntry = fileURLToPath(new URL("../src/http.ts", import.meta.url));
const stdioEntry = fileURLToPath(new URL("../src/stdio.ts", import.meta.url));

describe("order entries as real processes", () => {
  const dataDir = temporaryDataDir("order-http");
  let replicas: HttpReplicas;

  beforeAll(async () => {
    // Two processes over one data folder, like two replicas of the service.
    replicas = await startHttpReplicas(httpEntry, { DATA_DIR: dataDir, ORDER_MCP_PORT: "0" }, { clientName: "order-entries-test" });
  });

  afterAll(async () => {
    await replicas?.stop();
    removeDataDir(dataDir);
  });

  it("serves /health and the tools over Streamable HTTP", async () => {
    const health = await fetch(`${replicas.servers[0]!.url}/health`);
    expect(await health.json()).toMatchObject({ status: "ok", server: "order" });
    const { tools } = await replicas.clients[0]!.listTools();
    expect(tools.map((tool) => tool.name)).toContain("create_order");
    expect(replicas.clients[0]!.getServerVersion()?.name).toBe("switchyard-order");
  });

  it("creates exactly one order when two processes race on one reservation", async () => {
    const results = (await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        replicas.clients[n % 2]!.callTool({
          name: "create_order",
          arguments: { sku: "laptop", quantity: 2, reservation_id: "res_http_race", idempotency_key: `http-race-${n}` },
        }),
      ),
    )) as CallToolResult[];
    const successes = results.filter((result) => !result.isError);
    expect(successes).toHaveLength(1);
    for (const failure of results.filter((result) => result.isError)) expect(failure._meta?.error_code).toBe("RESERVATION_ALREADY_USED");

    const database = openOrderDatabase(dataDir);
    try {
      const rows = orderRows(database).filter((row) => row.reservationId === "res_http_race");
      expect(rows).toHaveLength(1);
      expect(rows[0]?.id).toBe(successes[0]?.structuredContent?.order_id);
    } finally {
      database.close();
    }
  });

  it("serves the same tools over stdio, logging only to stderr", async () => {
    const stdioDataDir = temporaryDataDir("order-stdio");
    const transport = stdioEntryTransport(stdioEntry, { DATA_DIR: stdioDataDir });
    const client = new Client({ name: "order-stdio-test", version: "0.1.0" });
    try {
      await client.connect(transport);
      const created = (await client.callTool({
        name: "create_order",
        arguments: { sku: "monitor", quantity: 1, reservation_id: "res_stdio" },
      })) as CallToolResult;
      expect(created.isError).toBeFalsy();
      const fetched = (await client.callTool({ name: "get_order", arguments: { order_id: created.structuredContent?.order_id } })) as CallToolResult;
      expect(fetched.structuredContent).toMatchObject({ sku: "monitor", status: "pending", reservation_id: "res_stdio" });
    } finally {
      await client.close();
      removeDataDir(stdioDataDir);
    }
  });
});
