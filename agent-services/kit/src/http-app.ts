import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AgentServiceError, toAgentServiceError } from "./agent-service-error.js";
import type { McpConnection } from "./mcp-connection.js";
import type { OperationCatalog } from "./operation-catalog.js";
import type { OperationExecutor } from "./operation-executor.js";
import { buildResponse } from "./response-builder.js";
import type { TaskRunner } from "./task-runner.js";
import { taskView, type TaskStore } from "./task-store.js";
import { agentServiceRequestSchema, zodFieldErrors, type AgentServiceRequest, type Capabilities, type HealthReport } from "./wire-format.js";

/** What the routes need from the service. */
export interface AgentHttpAppDependencies {
  serviceName: string;
  version: string;
  description: string;
  connection: McpConnection;
  catalog: OperationCatalog;
  executor: OperationExecutor;
  runner: TaskRunner;
  store: TaskStore;
  /** False once the service is stopping: new async tasks are refused. */
  isAccepting: () => boolean;
  maxBodyBytes: number;
  log: (message: string) => void;
}

/** Hono context variables that let `onError` answer an execute route in the response shape. */
type Env = { Variables: { startedAt: number; requestId: string; operation: string | null; attempts: number } };

const EXECUTE_PATHS = new Set(["/execute", "/execute-async"]);

async function readAgentRequest(c: Context<Env>): Promise<AgentServiceRequest> {
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new AgentServiceError(400, "MALFORMED_JSON", `The request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AgentServiceError(400, "INVALID_REQUEST", "The request body must be a JSON object (an AgentServiceRequest).");
  }
  const fields = body as Record<string, unknown>;
  if (typeof fields.request_id === "string") c.set("requestId", fields.request_id);
  if (typeof fields.operation === "string") c.set("operation", fields.operation);
  const parsed = agentServiceRequestSchema.safeParse(body);
  if (!parsed.success) {
    const errors = zodFieldErrors(parsed.error);
    throw new AgentServiceError(
      400,
      "INVALID_REQUEST",
      `The request is not a valid AgentServiceRequest: ${errors.map((e) => `${e.path || "(body)"}: ${e.message}`).join("; ")}`,
      errors,
    );
  }
  return parsed.data;
}

function fromHttpException(error: HTTPException): AgentServiceError {
  const status = error.status as ContentfulStatusCode;
  const code = status === 413 ? "PAYLOAD_TOO_LARGE" : `HTTP_${status}`;
  return new AgentServiceError(status, code, error.message || `HTTP ${status}`, undefined, { retryable: false });
}

/** The agent service's routes: health probes, capabilities, execute (sync and async) and task status. */
export function createAgentHttpApp(deps: AgentHttpAppDependencies): Hono<Env> {
  const { serviceName, connection, catalog, executor, runner, store } = deps;
  const startedAt = Date.now();
  const app = new Hono<Env>();

  app.use("*", async (c, next) => {
    c.set("startedAt", performance.now());
    c.set("requestId", "");
    c.set("operation", null);
    c.set("attempts", 0);
    await next();
  });

  app.use(
    "*",
    bodyLimit({
      maxSize: deps.maxBodyBytes,
      onError: () => {
        throw new AgentServiceError(413, "PAYLOAD_TOO_LARGE", `The request body exceeds ${deps.maxBodyBytes} bytes.`, undefined, { retryable: false });
      },
    }),
  );

  app.get("/health", (c) => {
    const ready = connection.reachable && catalog.toolsLoaded;
    const report: HealthReport = {
      status: ready ? "ok" : "degraded",
      service: serviceName,
      version: deps.version,
      uptime_seconds: Math.round((Date.now() - startedAt) / 100) / 10,
      mcp: {
        reachable: connection.reachable,
        url: connection.url,
        ...(!connection.reachable && connection.lastError ? { last_error: connection.lastError } : {}),
      },
    };
    return c.json(report);
  });

  app.get("/health/live", (c) => c.json({ status: "alive" }));

  app.get("/health/ready", (c) => {
    if (!deps.isAccepting()) return c.json({ status: "not_ready", reason: "the service is stopping" }, 503);
    if (!catalog.toolsLoaded) return c.json({ status: "not_ready", reason: "the MCP tool list has not been loaded yet" }, 503);
    if (!connection.reachable) {
      return c.json({ status: "not_ready", reason: `the MCP server is unreachable${connection.lastError ? `: ${connection.lastError}` : ""}` }, 503);
    }
    return c.json({ status: "ready" });
  });

  app.get("/capabilities", async (c) => {
    if (!catalog.toolsLoaded) {
      const budget = executor.openBudget({ request_id: "capabilities", operation: "tools/list", parameters: {} });
      try {
        await executor.ensureToolsLoaded(budget);
      } finally {
        budget.dispose();
      }
    }
    const capabilities: Capabilities = {
      service_name: serviceName,
      version: deps.version,
      description: deps.description,
      operations: catalog.descriptors(),
      // Set whenever tools are loaded, which the branch above guarantees.
      updated_at: (catalog.updatedAt ?? new Date()).toISOString(),
    };
    return c.json(capabilities);
  });

  app.post("/execute", async (c) => {
    const request = await readAgentRequest(c);
    const outcome = await executor.execute(request);
    return c.json(outcome.response, outcome.status);
  });

  app.post("/execute-async", async (c) => {
    if (!deps.isAccepting()) throw new AgentServiceError(503, "SHUTTING_DOWN", "The agent service is stopping and accepts no new tasks.");
    const request = await readAgentRequest(c);
    // Validated now, so a bad request is refused with 400 instead of becoming a failed task.
    const budget = executor.openBudget(request);
    try {
      const prepared = await executor.prepare(request, budget);
      const row = runner.submit({ request, repeatable: prepared.repeatable });
      return c.json({ task_id: row.id, status_url: new URL(`/status/${row.id}`, c.req.url).href }, 202);
    } finally {
      c.set("attempts", budget.attempts);
      budget.dispose();
    }
  });

  app.get("/status/:task_id", (c) => {
    const id = c.req.param("task_id");
    const row = store.get(id);
    if (!row) throw new AgentServiceError(404, "TASK_NOT_FOUND", `No task with id "${id}".`, undefined, { retryable: false });
    return c.json(taskView(row));
  });

  app.notFound((c) => {
    const error = new AgentServiceError(404, "NOT_FOUND", `No route for ${c.req.method} ${c.req.path}.`, undefined, { retryable: false });
    return c.json({ error: { code: error.code, message: error.message, retryable: false } }, 404);
  });

  app.onError((caught, c) => {
    const error = caught instanceof HTTPException ? fromHttpException(caught) : toAgentServiceError(caught);
    if (error.status === 500) deps.log(`${c.req.method} ${c.req.path} failed: ${caught instanceof Error ? (caught.stack ?? caught.message) : String(caught)}`);
    if (EXECUTE_PATHS.has(c.req.path)) {
      const response = buildResponse({
        serviceName,
        requestId: c.get("requestId") ?? "",
        operation: c.get("operation") ?? null,
        kind: null,
        attempts: c.get("attempts") ?? 0,
        startedAt: c.get("startedAt") ?? performance.now(),
        error,
      });
      return c.json(response, error.status);
    }
    const body = {
      error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }), retryable: error.retryable },
    };
    return c.json(body, error.status);
  });

  return app;
}
