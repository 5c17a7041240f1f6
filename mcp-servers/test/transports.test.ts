import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectInMemoryClient } from "@switchyard/mcp-kit";
import {
  connectHttpClient,
  repositoryRoot,
  runToolCalls,
  spawnService,
  stdioEntryTransport,
  temporaryDataDir,
  type SpawnedService,
} from "@switchyard/mcp-kit/testing";
import { serversUnderTest, type ServerUnderTest } from "./servers.js";

const run = promisify(execFile);

type RpcError = { error: { code: number; message: string } };

/** Lists the tools, checks every one has a sample call, then runs the calls in order. */
async function exerciseEveryTool(client: Client, server: ServerUnderTest): Promise<void> {
  const { tools } = await client.listTools();
  const listed = tools.map((tool) => tool.name).sort();
  const covered = [...new Set(server.toolCalls.map((c) => c.tool))].sort();
  expect(covered).toEqual(listed);
  for (const tool of tools) {
    expect(tool.description, `${tool.name} needs a description`).toBeTruthy();
    expect(tool.outputSchema, `${tool.name} needs an output schema`).toBeDefined();
    expect(tool.annotations, `${tool.name} needs annotations`).toMatchObject({
      readOnlyHint: expect.any(Boolean),
      destructiveHint: expect.any(Boolean),
      idempotentHint: expect.any(Boolean),
    });
  }
  await runToolCalls(client, server.toolCalls);
}

describe.each(serversUnderTest)("$name MCP server", (server) => {
  const stdioEntry = `mcp-servers/${server.folder}/src/stdio.ts`;
  const httpEntry = `mcp-servers/${server.folder}/src/http.ts`;
  let http: SpawnedService;
  let httpDataDir: string;

  beforeAll(async () => {
    httpDataDir = temporaryDataDir(`${server.name}-http`);
    http = await spawnService(httpEntry, { DATA_DIR: httpDataDir, [server.portVariable]: "0" });
  });

  afterAll(async () => {
    await http?.stop();
  });

  test("every tool over InMemoryTransport", async () => {
    const { server: mcp, close } = server.create(temporaryDataDir(server.name));
    const client = await connectInMemoryClient(mcp);
    try {
      await exerciseEveryTool(client, server);
      const resources = await client.listResources();
      expect(resources.resources.length).toBeGreaterThan(0);
      const prompts = await client.listPrompts();
      expect(prompts.prompts.length).toBeGreaterThan(0);
    } finally {
      await client.close();
      close();
    }
  });

  test("every tool over Streamable HTTP against the real entry process", async () => {
    const client = await connectHttpClient(http.url, "transport-test");
    try {
      await exerciseEveryTool(client, server);
    } finally {
      await client.close();
    }
  });

  test("every tool over stdio against the real entry process", async () => {
    const transport = stdioEntryTransport(stdioEntry, { DATA_DIR: temporaryDataDir(`${server.name}-stdio`) });
    const client = new Client({ name: "transport-test", version: "0.1.0" });
    await client.connect(transport);
    try {
      await exerciseEveryTool(client, server);
    } finally {
      await client.close();
    }
  });

  test("the MCP Inspector CLI lists the tools over stdio and over HTTP", async () => {
    // The Inspector keeps state under HOME; a temporary one keeps runs independent.
    const env = { ...process.env, HOME: temporaryDataDir("inspector-home"), DATA_DIR: temporaryDataDir(`${server.name}-inspector`) };
    const inspector = join(repositoryRoot, "node_modules/@modelcontextprotocol/inspector/cli/build/cli.js");
    const expected = [...new Set(server.toolCalls.map((c) => c.tool))].sort();
    const overStdio = await run(process.execPath, [inspector, "--cli", process.execPath, "--import", "tsx", stdioEntry, "--method", "tools/list"], { cwd: repositoryRoot, env });
    expect((JSON.parse(overStdio.stdout).tools as Array<{ name: string }>).map((t) => t.name).sort()).toEqual(expected);
    const overHttp = await run(process.execPath, [inspector, "--cli", `${http.url}/mcp`, "--transport", "http", "--method", "tools/list"], { cwd: repositoryRoot, env });
    expect((JSON.parse(overHttp.stdout).tools as Array<{ name: string }>).map((t) => t.name).sort()).toEqual(expected);
  });

  test("HTTP refuses a foreign Origin, malformed JSON-RPC and other methods with clear errors", async () => {
    const initialize = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } };
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const foreign = await fetch(`${http.url}/mcp`, { method: "POST", headers: { ...headers, origin: "https://evil.example" }, body: JSON.stringify(initialize) });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as RpcError).error.message).toContain("origin https://evil.example is not allowed");

    const local = await fetch(`${http.url}/mcp`, { method: "POST", headers: { ...headers, origin: "http://localhost:6274" }, body: JSON.stringify(initialize) });
    expect(local.status).toBe(200);

    const malformed = await fetch(`${http.url}/mcp`, { method: "POST", headers, body: "{not json" });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as RpcError).error.code).toBe(-32700);

    const notRpc = await fetch(`${http.url}/mcp`, { method: "POST", headers, body: JSON.stringify({ hello: "world" }) });
    expect(notRpc.status).toBe(400);

    const get = await fetch(`${http.url}/mcp`, { method: "GET", headers: { accept: "text/event-stream" } });
    expect(get.status).toBe(405);
  });
});

describe("bearer token", () => {
  let http: SpawnedService;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = temporaryDataDir("auth");
    http = await spawnService("mcp-servers/inventory/src/http.ts", { DATA_DIR: dataDir, INVENTORY_MCP_PORT: "0", MCP_AUTH_TOKEN: "s3cret" });
  });
  afterAll(async () => {
    await http?.stop();
  });

  test("a refused request changes nothing: a reservation without the token or from a foreign Origin never runs", async () => {
    const reserve = { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "reserve_stock", arguments: { sku: "laptop", quantity: 3 } } };
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const noToken = await fetch(`${http.url}/mcp`, { method: "POST", headers, body: JSON.stringify(reserve) });
    expect(noToken.status).toBe(401);
    const foreign = await fetch(`${http.url}/mcp`, { method: "POST", headers: { ...headers, authorization: "Bearer s3cret", origin: "https://evil.example" }, body: JSON.stringify(reserve) });
    expect(foreign.status).toBe(403);
    const database = new Database(join(dataDir, "inventory.db"), { readonly: true });
    try {
      expect(database.prepare("SELECT available, reserved FROM items WHERE sku = 'laptop'").get()).toEqual({ available: 10, reserved: 0 });
      expect(database.prepare("SELECT count(*) AS n FROM reservations").get()).toEqual({ n: 0 });
    } finally {
      database.close();
    }
  });

  test("requests without the configured token get 401; with it they work", async () => {
    const bare = new Client({ name: "t", version: "1" });
    await expect(bare.connect(new StreamableHTTPClientTransport(new URL(`${http.url}/mcp`)))).rejects.toThrow(/401|Unauthorized/);

    const authed = new Client({ name: "t", version: "1" });
    await authed.connect(
      new StreamableHTTPClientTransport(new URL(`${http.url}/mcp`), { requestInit: { headers: { authorization: "Bearer s3cret" } } }),
    );
    const { tools } = await authed.listTools();
    expect(tools.length).toBeGreaterThan(0);
    await authed.close();
  });
});
