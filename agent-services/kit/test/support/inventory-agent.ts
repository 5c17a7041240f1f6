import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { createInventoryServer, openInventoryDatabase, type InventoryDatabase } from "@switchyard/inventory-mcp";
import { z } from "zod";
import { createAgentService, inProcessMcpTarget, type AgentService, type AgentServiceLimits, type LocalOperations } from "../../src/index.js";

/** Limits that keep failing paths fast in tests. */
export const fastLimits: Partial<AgentServiceLimits> = {
  retries: 2,
  retryMinDelayMs: 5,
  retryMaxDelayMs: 20,
  callbackMinDelayMs: 10,
  callbackMaxDelayMs: 50,
  defaultTimeoutMs: 10_000,
  shutdownGraceMs: 2_000,
};

/** Tools added to the inventory server for tests: slow ones, to exercise deadlines and recovery. */
export function addTestTools(server: McpServer): void {
  const wait = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(new Error("cancelled"));
      });
    });
  server.registerTool(
    "slow_echo",
    {
      description: "Answers with its message after delay_ms (test tool).",
      inputSchema: { message: z.string(), delay_ms: z.number().int().min(0).max(60_000) },
      outputSchema: { message: z.string() },
      annotations: { readOnlyHint: true, idempotentHint: true },
    },
    async ({ message, delay_ms }, extra) => {
      await wait(delay_ms, extra.signal);
      return { content: [{ type: "text", text: message }], structuredContent: { message } };
    },
  );
  server.registerTool(
    "slow_write",
    {
      description: "Pretends to change something after delay_ms; neither read-only nor idempotent (test tool).",
      inputSchema: { delay_ms: z.number().int().min(0).max(60_000) },
      annotations: { readOnlyHint: false, idempotentHint: false, destructiveHint: false },
    },
    async ({ delay_ms }, extra) => {
      await wait(delay_ms, extra.signal);
      return { content: [{ type: "text", text: JSON.stringify({ written: true }) }] };
    },
  );
}

export interface JsonAnswer {
  status: number;
  body: any;
}

/** An inventory agent service over the real inventory MCP server in-process (InMemoryTransport). */
export interface InventoryAgent {
  service: AgentService;
  inventory: InventoryDatabase;
  /** Folder of the agent's task database. */
  dataDir: string;
  /** One MCP server per connection the agent made; the last one is current. */
  servers: McpServer[];
  get(path: string): Promise<JsonAnswer>;
  /** POSTs `body` as JSON, or as-is when it is a string. */
  post(path: string, body: unknown): Promise<JsonAnswer>;
  /** Stops the service and closes the inventory database (the folders stay unless `removeFolders`). */
  close(removeFolders?: boolean): Promise<void>;
}

export interface InventoryAgentOptions {
  limits?: Partial<AgentServiceLimits>;
  localOperations?: LocalOperations;
  /** Reuse a task database folder (restart tests). */
  dataDir?: string;
  /** Reuse an open inventory database. */
  inventory?: InventoryDatabase;
  withTestTools?: boolean;
  start?: boolean;
}

export async function answer(response: Response): Promise<JsonAnswer> {
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export async function createInventoryAgent(options: InventoryAgentOptions = {}): Promise<InventoryAgent> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "agent-kit-"));
  const inventoryDir = options.inventory ? undefined : mkdtempSync(join(tmpdir(), "agent-kit-inventory-"));
  const inventory = options.inventory ?? openInventoryDatabase(inventoryDir!);
  const servers: McpServer[] = [];
  const service = createAgentService({
    serviceName: "inventory",
    version: "0.1.0",
    description: "Retail stock",
    mcp: inProcessMcpTarget(() => {
      const server = createInventoryServer(inventory);
      if (options.withTestTools) addTestTools(server);
      servers.push(server);
      return server;
    }),
    compensations: { reserve_stock: "release_reservation" },
    ...(options.localOperations ? { localOperations: options.localOperations } : {}),
    dataDir,
    limits: { ...fastLimits, ...options.limits },
    log: () => undefined,
  });
  if (options.start !== false) await service.start();
  return {
    service,
    inventory,
    dataDir,
    servers,
    get: async (path) => answer(await service.app.request(path)),
    post: async (path, body) =>
      answer(
        await service.app.request(path, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: typeof body === "string" ? body : JSON.stringify(body),
        }),
      ),
    close: async (removeFolders = false) => {
      await service.stop();
      if (!options.inventory) inventory.close();
      if (removeFolders) {
        rmSync(dataDir, { recursive: true, force: true });
        if (inventoryDir) rmSync(inventoryDir, { recursive: true, force: true });
      }
    },
  };
}
