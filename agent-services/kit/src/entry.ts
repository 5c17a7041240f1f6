import { listen } from "@switchyard/mcp-kit";
import { createAgentService, type AgentService, type AgentServiceLimits } from "./agent-service.js";
import { loadAgentConfig } from "./config.js";
import type { FaultSettings } from "./fault-injection.js";
import type { LocalOperations } from "./local-operation.js";
import type { McpTarget } from "./mcp-connection.js";
import { startRegistration, type Registration } from "./registration.js";

/** The few lines that make a domain agent service. */
export interface AgentServiceDefinition {
  /** Short name, e.g. `repair-orders`; env variables use its upper-snake form. */
  name: string;
  version: string;
  description: string;
  /** Default of `<NAME>_AGENT_PORT`. */
  defaultPort: number;
  /** Default of `<NAME>_MCP_URL`. */
  defaultMcpUrl: string;
  compensations?: Record<string, string>;
  localOperations?: LocalOperations;
  /** Overrides of the kit's limits beyond what the environment sets. */
  limits?: Partial<AgentServiceLimits>;
}

/** What a definition leaves open: where the MCP server is and where data goes. */
export interface AgentServiceRuntime {
  mcp: McpTarget;
  dataDir: string;
  limits?: Partial<AgentServiceLimits>;
  /** Faults to inject into execute calls (experiments); default none. */
  faults?: Partial<FaultSettings>;
  log?: (message: string) => void;
}

/**
 * Builds the service a definition describes; the entry uses it with the configured MCP URL,
 * tests with an in-process transport.
 */
export function createAgentServiceFromDefinition(definition: AgentServiceDefinition, runtime: AgentServiceRuntime): AgentService {
  return createAgentService({
    serviceName: definition.name,
    version: definition.version,
    description: definition.description,
    mcp: runtime.mcp,
    ...(definition.compensations ? { compensations: definition.compensations } : {}),
    ...(definition.localOperations ? { localOperations: definition.localOperations } : {}),
    dataDir: runtime.dataDir,
    limits: { ...definition.limits, ...runtime.limits },
    ...(runtime.faults ? { faults: runtime.faults } : {}),
    ...(runtime.log ? { log: runtime.log } : {}),
  });
}

/**
 * Runs an agent service process: reads the environment, starts the service, listens, registers
 * with the registry when `REGISTRY_URL` is set, and shuts down cleanly on SIGINT/SIGTERM.
 */
export async function runAgentEntry(definition: AgentServiceDefinition, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const log = (message: string) => process.stderr.write(`[${definition.name}-agent] ${message}\n`);
  try {
    const config = loadAgentConfig({ serviceName: definition.name, defaultPort: definition.defaultPort, defaultMcpUrl: definition.defaultMcpUrl }, env);
    const limits = { ...definition.limits, maxConcurrency: config.maxConcurrency, defaultTimeoutMs: config.defaultTimeoutMs, retries: config.retries };
    const service = createAgentServiceFromDefinition(definition, {
      mcp: { url: config.mcpUrl, authToken: config.mcpAuthToken },
      dataDir: config.dataDir,
      limits,
      faults: config.faults,
      log,
    });
    await service.start();
    const server = await listen(service.app, config.host, config.port);
    log(`listening on ${server.url} (MCP server ${config.mcpUrl}, data in ${config.dataDir})`);
    let registration: Registration | undefined;
    if (config.registryUrl) {
      registration = startRegistration({
        registryUrl: config.registryUrl,
        serviceName: definition.name,
        url: config.publicUrl ?? server.url,
        ttlSeconds: config.registryTtlSeconds,
        log,
      });
    }
    let shuttingDown = false;
    const shutdown = (signal: string) => {
      if (shuttingDown) return;
      shuttingDown = true;
      log(`${signal} received, shutting down`);
      void (async () => {
        try {
          // Deregister first so the registry stops routing here before the port closes.
          await registration?.stop();
          await server.close(limits.shutdownGraceMs ?? 10_000);
          await service.stop();
          process.exit(0);
        } catch (error) {
          log(`shutdown failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          process.exit(1);
        }
      })();
    };
    process.once("SIGINT", () => shutdown("SIGINT"));
    process.once("SIGTERM", () => shutdown("SIGTERM"));
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
