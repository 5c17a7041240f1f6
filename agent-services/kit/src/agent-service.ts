import { getEventListeners } from "node:events";
import type { Hono } from "hono";
import pLimit from "p-limit";
import { createAbortScope, linkedScopeCount } from "./abort-scope.js";
import { AgentServiceError } from "./agent-service-error.js";
import { FaultInjector, noFaults, type FaultSettings } from "./fault-injection.js";
import { createAgentHttpApp } from "./http-app.js";
import { JsonSchemaCompiler } from "./json-schema-validator.js";
import type { LocalOperations } from "./local-operation.js";
import { McpConnection, type McpDiagnostics, type McpTarget } from "./mcp-connection.js";
import { OperationCatalog } from "./operation-catalog.js";
import { OperationExecutor } from "./operation-executor.js";
import { TaskRunner } from "./task-runner.js";
import { TaskStore } from "./task-store.js";

/** Tunables of one agent service; every field has a default. */
export interface AgentServiceLimits {
  /** Concurrent MCP calls (default 16). */
  maxConcurrency: number;
  /** Deadline of a request without `timeout` (default 30 s). */
  defaultTimeoutMs: number;
  /** Retries of an MCP transport failure (default 3, so up to 4 attempts). */
  retries: number;
  retryMinDelayMs: number;
  retryMaxDelayMs: number;
  /** Re-list the MCP tools this often, reconnecting when needed (default 30 s). */
  capabilityRefreshMs: number;
  /** Async tasks run at the same time (default 4). */
  taskConcurrency: number;
  /** Retries of a callback POST (default 5). */
  callbackRetries: number;
  callbackMinDelayMs: number;
  callbackMaxDelayMs: number;
  callbackTimeoutMs: number;
  /** How long `stop()` waits for running tasks (default 10 s). */
  shutdownGraceMs: number;
  /** Largest accepted request body (default 1 MiB). */
  maxBodyBytes: number;
}

const DEFAULT_LIMITS: AgentServiceLimits = {
  maxConcurrency: 16,
  defaultTimeoutMs: 30_000,
  retries: 3,
  retryMinDelayMs: 200,
  retryMaxDelayMs: 3_000,
  capabilityRefreshMs: 30_000,
  taskConcurrency: 4,
  callbackRetries: 5,
  callbackMinDelayMs: 500,
  callbackMaxDelayMs: 30_000,
  callbackTimeoutMs: 10_000,
  shutdownGraceMs: 10_000,
  maxBodyBytes: 1024 * 1024,
};

export interface AgentServiceOptions {
  /** Short name, e.g. `inventory`; also names the task database `agent-<name>.db`. */
  serviceName: string;
  version: string;
  description: string;
  mcp: McpTarget;
  /** operation -> compensating operation, e.g. `{ reserve_stock: "release_reservation" }`. */
  compensations?: Record<string, string>;
  localOperations?: LocalOperations;
  /** Folder of the task database. */
  dataDir: string;
  limits?: Partial<AgentServiceLimits>;
  /** Faults to inject into execute calls (experiments); default none. */
  faults?: Partial<FaultSettings>;
  /** Log sink; defaults to stderr with a `[<name>-agent]` prefix. */
  log?: (message: string) => void;
}

/** Counters for tests and operators: MCP connection state plus async work in progress. */
export interface AgentServiceDiagnostics extends McpDiagnostics {
  activeTasks: number;
  compiledSchemas: number;
  /** `abort` listeners on the service's shutdown signal: at most one, however busy the service is. */
  lifecycleListeners: number;
  /** Requests, tasks and callbacks in flight under the shutdown signal; 0 when idle. */
  workInFlight: number;
}

/** An agent service: its Hono app and the lifecycle of its MCP connection, refresh timer and task workers. */
export interface AgentService {
  readonly app: Hono;
  readonly serviceName: string;
  /** Recovers unfinished tasks, connects to the MCP server (an unreachable server is not fatal) and starts the refresh timer. */
  start(): Promise<void>;
  /** Refuses new tasks, lets running ones finish (within the grace period), closes the MCP connection and the database. */
  stop(): Promise<void>;
  diagnostics(): AgentServiceDiagnostics;
}

/**
 * Builds an agent service that fronts one MCP server over HTTP.
 * @example
 * const service = createAgentService({ serviceName: "inventory", version: "0.1.0", description: "Stock",
 *   mcp: { url: "http://127.0.0.1:3001/mcp" }, compensations: { reserve_stock: "release_reservation" }, dataDir: "./data" });
 * await service.start();
 */
export function createAgentService(options: AgentServiceOptions): AgentService {
  const limits: AgentServiceLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.log ?? ((message: string) => process.stderr.write(`[${options.serviceName}-agent] ${message}\n`));
  const lifecycle = new AbortController();
  const compiler = new JsonSchemaCompiler();
  const catalog = new OperationCatalog({
    localOperations: options.localOperations ?? {},
    compensations: options.compensations ?? {},
    compiler,
    log,
  });
  const connection = new McpConnection({
    target: options.mcp,
    clientInfo: { name: `switchyard-${options.serviceName}-agent`, version: options.version },
    compiler,
    onTools: (tools) => catalog.setTools(tools),
    connectTimeoutMs: limits.defaultTimeoutMs,
    log,
  });
  const faults = new FaultInjector({ ...noFaults, ...options.faults }, options.serviceName);
  const executor = new OperationExecutor({
    serviceName: options.serviceName,
    catalog,
    connection,
    limit: pLimit(limits.maxConcurrency),
    retry: { retries: limits.retries, minDelayMs: limits.retryMinDelayMs, maxDelayMs: limits.retryMaxDelayMs },
    defaultTimeoutMs: limits.defaultTimeoutMs,
    lifecycle: lifecycle.signal,
    log,
    faults,
  });
  const store = new TaskStore(options.dataDir, options.serviceName);
  const runner = new TaskRunner({
    serviceName: options.serviceName,
    store,
    executor,
    concurrency: limits.taskConcurrency,
    callbackPolicy: {
      retries: limits.callbackRetries,
      minDelayMs: limits.callbackMinDelayMs,
      maxDelayMs: limits.callbackMaxDelayMs,
      attemptTimeoutMs: limits.callbackTimeoutMs,
    },
    lifecycle: lifecycle.signal,
    log,
  });

  let state: "created" | "started" | "stopping" | "stopped" = "created";
  let refreshTimer: NodeJS.Timeout | undefined;
  let refreshing = false;
  let lastRefreshFailure: string | undefined;

  const app = createAgentHttpApp({
    serviceName: options.serviceName,
    version: options.version,
    description: options.description,
    connection,
    catalog,
    executor,
    runner,
    store,
    isAccepting: () => state === "created" || state === "started",
    maxBodyBytes: limits.maxBodyBytes,
    log,
  });

  // Re-lists the tools, reconnecting first when the last call dropped the client.
  async function refresh(): Promise<void> {
    if (refreshing || state !== "started") return;
    refreshing = true;
    const scope = createAbortScope({ parent: lifecycle.signal, timeoutMs: limits.defaultTimeoutMs });
    try {
      await connection.refreshTools(scope.signal, limits.defaultTimeoutMs);
      if (lastRefreshFailure !== undefined) log("capability refresh works again");
      lastRefreshFailure = undefined;
    } catch (error) {
      const failure = error instanceof Error ? error.message : String(error);
      // One line per distinct failure: an MCP server that stays down must not flood the log.
      if (state === "started" && failure !== lastRefreshFailure) log(`capability refresh failed: ${failure}`);
      lastRefreshFailure = failure;
    } finally {
      scope.dispose();
      refreshing = false;
    }
  }

  return {
    app: app as unknown as Hono,
    serviceName: options.serviceName,

    async start() {
      if (state !== "created") return;
      state = "started";
      if (faults.active) log(`fault injection is on: ${faults.describe()}`);
      runner.recover();
      try {
        await connection.client();
      } catch (error) {
        log(
          `MCP server not reachable yet (${error instanceof Error ? error.message : String(error)}); retrying every ${limits.capabilityRefreshMs / 1000} s and on each request`,
        );
      }
      refreshTimer = setInterval(() => void refresh(), limits.capabilityRefreshMs);
      refreshTimer.unref();
    },

    async stop() {
      if (state === "stopping" || state === "stopped") return;
      state = "stopping";
      clearInterval(refreshTimer);
      await runner.stop(limits.shutdownGraceMs);
      // The store closes before in-flight work is aborted, so tasks cut short stay `running`
      // in the database and are recovered by the next start instead of being recorded as failed.
      store.close();
      lifecycle.abort(new AgentServiceError(503, "SHUTTING_DOWN", "The agent service is stopping."));
      await connection.close();
      state = "stopped";
    },

    diagnostics() {
      return {
        ...connection.diagnostics(),
        activeTasks: runner.activeCount,
        compiledSchemas: compiler.size,
        lifecycleListeners: getEventListeners(lifecycle.signal, "abort").length,
        workInFlight: linkedScopeCount(lifecycle.signal),
      };
    },
  };
}
