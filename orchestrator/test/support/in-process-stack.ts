import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { createAgentService, type AgentService, type AgentServiceDefinition } from "@switchyard/agent-kit";
import { inventoryAgentDefinition } from "@switchyard/inventory-agent";
import { orderAgentDefinition } from "@switchyard/order-agent";
import { partsAgentDefinition } from "@switchyard/parts-agent";
import { paymentAgentDefinition } from "@switchyard/payment-agent";
import { repairOrdersAgentDefinition } from "@switchyard/repair-orders-agent";
import { createInventoryServer, openInventoryDatabase } from "@switchyard/inventory-mcp";
import { listen, type RunningHttpServer } from "@switchyard/mcp-kit";
import { createOrderServer, openOrderDatabase } from "@switchyard/order-mcp";
import { createPartsServer, openPartsDatabase } from "@switchyard/parts-mcp";
import { createPaymentServer, openPaymentDatabase } from "@switchyard/payment-mcp";
import { createRepairOrdersServer, openRepairOrdersDatabase } from "@switchyard/repair-orders-mcp";
import { createServiceRegistry, silentLogger, type ServiceRegistry } from "@switchyard/registry";
import Database from "better-sqlite3";
import { createOrchestratorService, directoryFromRegistry, loadOrchestratorConfig, type OrchestratorService } from "../../src/index.js";

interface Domain {
  definition: AgentServiceDefinition;
  open(dataDir: string): { sqlite: Database.Database; close(): void };
  create(handle: unknown): McpServer;
}

const domains: Domain[] = [
  { definition: inventoryAgentDefinition, open: openInventoryDatabase, create: (h) => createInventoryServer(h as never) },
  { definition: orderAgentDefinition, open: openOrderDatabase, create: (h) => createOrderServer(h as never) },
  { definition: paymentAgentDefinition, open: openPaymentDatabase, create: (h) => createPaymentServer(h as never) },
  { definition: partsAgentDefinition, open: openPartsDatabase, create: (h) => createPartsServer(h as never) },
  { definition: repairOrdersAgentDefinition, open: openRepairOrdersDatabase, create: (h) => createRepairOrdersServer(h as never) },
];

export interface InProcessStack {
  dataDir: string;
  orchestrator: OrchestratorService;
  registry: ServiceRegistry;
  /** Read-only SQL against a service's own database, for assertions. */
  query<T = Record<string, unknown>>(service: string, sql: string, ...params: unknown[]): T[];
  /** Base URL of each agent service, by service name. */
  agentUrls: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The real stack in one process: the five MCP servers over their own SQLite files, the five
 * agent services (real HTTP on free ports) talking MCP over in-memory transports, the real
 * registry, and the orchestrator with the given environment (rule planner unless an LLM is set).
 */
export async function startInProcessStack(env: Record<string, string> = {}): Promise<InProcessStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "switchyard-stack-"));
  const handles = new Map<string, { sqlite: Database.Database; close(): void }>();
  const agents: AgentService[] = [];
  const servers: RunningHttpServer[] = [];
  const agentUrls: Record<string, string> = {};
  for (const domain of domains) {
    const handle = domain.open(dataDir);
    handles.set(domain.definition.name, handle);
    const agent = createAgentService({
      serviceName: domain.definition.name,
      version: domain.definition.version,
      description: domain.definition.description,
      mcp: {
        connect: async () => {
          const [client, server] = InMemoryTransport.createLinkedPair();
          await domain.create(handle).connect(server);
          return client;
        },
      },
      compensations: domain.definition.compensations ?? {},
      localOperations: domain.definition.localOperations ?? {},
      dataDir,
      limits: { retryMinDelayMs: 10, retryMaxDelayMs: 50 },
      log: () => undefined,
    });
    await agent.start();
    agents.push(agent);
    const server = await listen(agent.app, "127.0.0.1", 0);
    servers.push(server);
    agentUrls[domain.definition.name] = server.url;
  }
  const registry = createServiceRegistry({
    staticServices: Object.fromEntries(Object.entries(agentUrls).map(([name, url]) => [name, [url]])),
    healthCheckIntervalMs: 60_000,
    logger: silentLogger,
  });
  await registry.checkNow();
  await registry.refreshCapabilities();
  const config = loadOrchestratorConfig({ DATA_DIR: dataDir, ...env });
  const orchestrator = createOrchestratorService(config, directoryFromRegistry(registry));
  return {
    dataDir,
    orchestrator,
    registry,
    agentUrls,
    query: <T>(service: string, sql: string, ...params: unknown[]) => handles.get(service)!.sqlite.prepare(sql).all(...params) as T[],
    async close() {
      await registry.stop();
      await Promise.all(servers.map((s) => s.close()));
      await Promise.all(agents.map((a) => a.stop()));
      orchestrator.close();
      for (const handle of handles.values()) handle.close();
    },
  };
}

export async function post(stack: InProcessStack, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await stack.orchestrator.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}
