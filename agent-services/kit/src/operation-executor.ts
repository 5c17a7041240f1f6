import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { LimitFunction } from "p-limit";
import pRetry from "p-retry";
import { createAbortScope, untilAborted } from "./abort-scope.js";
import { AgentServiceError, toAgentServiceError } from "./agent-service-error.js";
import { delay, holdPastDeadline, injectedError, type FaultInjector } from "./fault-injection.js";
import { formatFieldErrors } from "./json-schema-validator.js";
import { McpUnavailableError, type McpConnection } from "./mcp-connection.js";
import type { CatalogOperation, LocalCatalogOperation, OperationCatalog, ToolOperation } from "./operation-catalog.js";
import { buildResponse } from "./response-builder.js";
import { zodFieldErrors, type AgentServiceRequest, type AgentServiceResponse, type OperationKind } from "./wire-format.js";

/** Retries of MCP transport failures: exponential backoff with jitter. */
export interface RetryPolicy {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
}

/** A request that passed validation and is ready to run. */
export interface PreparedCall {
  operation: CatalogOperation;
  arguments: unknown;
  /** Running it twice cannot duplicate an effect (read-only, idempotent, or carries an idempotency key). */
  repeatable: boolean;
}

/** The HTTP status and body for one executed request. */
export interface ExecutionOutcome {
  status: ContentfulStatusCode;
  response: AgentServiceResponse;
}

/** The time and attempts one request may spend. */
export interface CallBudget {
  signal: AbortSignal;
  deadlineAt: number;
  attempts: number;
}

export interface OperationExecutorOptions {
  serviceName: string;
  catalog: OperationCatalog;
  connection: McpConnection;
  /** Bounds concurrent MCP calls. */
  limit: LimitFunction;
  retry: RetryPolicy;
  defaultTimeoutMs: number;
  /** Aborts with a 503 SHUTTING_DOWN reason when the service stops. */
  lifecycle: AbortSignal;
  log: (message: string) => void;
  /** Injected faults (experiments); absent or inactive means none. */
  faults?: FaultInjector | undefined;
}

// Protocol errors the SDK's McpServer reports as isError results instead of JSON-RPC errors.
const SERVER_INPUT_VALIDATION = /^MCP error -32602: Input validation error/;
const SERVER_UNKNOWN_TOOL = /^MCP error -32602: Tool \S+ (not found|disabled)/;
// Margin that lets the kit's own deadline fire before the SDK's request timeout.
const SDK_TIMEOUT_MARGIN_MS = 1_000;

function textOf(result: CallToolResult): string {
  return result.content
    .filter((block): block is { type: "text"; text: string } => block.type === "text")
    .map((block) => block.text)
    .join("\n");
}

function unstructuredResult(result: CallToolResult): unknown {
  const [only] = result.content;
  if (result.content.length === 1 && only?.type === "text") {
    try {
      return JSON.parse(only.text) as unknown;
    } catch {
      return only.text;
    }
  }
  return result.content;
}

/**
 * Runs one attempt with its own signal that follows the request's. The SDK never removes the
 * `abort` listener it adds to a request's signal, so each attempt gets a fresh one instead of
 * piling those listeners onto the request's signal across retries.
 */
async function withAttemptSignal<T>(budget: CallBudget, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const scope = createAbortScope({ parent: budget.signal });
  try {
    return await attempt(scope.signal);
  } finally {
    scope.dispose();
  }
}

/**
 * Runs `AgentServiceRequest`s: resolves the operation, validates the parameters against its
 * schema, then calls the MCP tool (bounded concurrency, retries on transport failures only)
 * or the local handler, all within the request's deadline.
 */
export class OperationExecutor {
  constructor(private readonly options: OperationExecutorOptions) {}

  /** Opens the time budget of one request; dispose it when done. */
  openBudget(request: AgentServiceRequest): CallBudget & { dispose(): void } {
    const timeoutMs = request.timeout !== undefined ? Math.round(request.timeout * 1000) : this.options.defaultTimeoutMs;
    const scope = createAbortScope({
      parent: this.options.lifecycle,
      timeoutMs,
      timeoutReason: () =>
        new AgentServiceError(504, "TIMEOUT", `${request.operation} did not finish within ${timeoutMs / 1000} s.`, { timeout_seconds: timeoutMs / 1000 }),
    });
    return { signal: scope.signal, deadlineAt: Date.now() + timeoutMs, attempts: 0, dispose: scope.dispose };
  }

  /** Runs a request from start to end; never throws. */
  async execute(request: AgentServiceRequest): Promise<ExecutionOutcome> {
    const startedAt = performance.now();
    const budget = this.openBudget(request);
    let kind: OperationKind | null = null;
    const respond = (fields: { result?: unknown; error?: AgentServiceError }) =>
      buildResponse({
        serviceName: this.options.serviceName,
        requestId: request.request_id,
        operation: request.operation,
        kind,
        attempts: budget.attempts,
        startedAt,
        ...fields,
      });
    try {
      const prepared = await this.prepare(request, budget);
      kind = prepared.operation.kind;
      // Drawn only for valid requests: a bad request still gets its 400, a fault hits real calls.
      const fault = this.options.faults?.active ? this.options.faults.next() : undefined;
      if (fault && fault.delayMs > 0) await delay(fault.delayMs, budget.signal);
      if (fault?.outcome === "error") throw injectedError(request.operation);
      const result = await this.run(prepared, request, budget);
      if (fault?.outcome === "timeout") await holdPastDeadline(budget.signal);
      return { status: 200, response: respond({ result }) };
    } catch (caught) {
      const error = toAgentServiceError(caught);
      if (error.status === 500) this.options.log(`${request.operation} failed: ${caught instanceof Error ? (caught.stack ?? caught.message) : String(caught)}`);
      return { status: error.status, response: respond({ error }) };
    } finally {
      budget.dispose();
    }
  }

  /** Resolves and validates a request without side effects; throws AgentServiceError. */
  async prepare(request: AgentServiceRequest, budget: CallBudget): Promise<PreparedCall> {
    const { catalog } = this.options;
    let operation = catalog.find(request.operation);
    if (!operation && !catalog.toolsLoaded) {
      await this.ensureToolsLoaded(budget);
      operation = catalog.find(request.operation);
    }
    if (!operation) {
      const known = catalog.names();
      throw new AgentServiceError(400, "UNKNOWN_OPERATION", `Unknown operation "${request.operation}". Known operations: ${known.join(", ")}.`, {
        known_operations: known,
      });
    }
    return operation.kind === "local" ? this.prepareLocal(operation, request) : this.prepareTool(operation, request);
  }

  /** Connects and lists the MCP tools unless that already happened; retries like a call. */
  async ensureToolsLoaded(budget: CallBudget): Promise<void> {
    const { catalog, connection } = this.options;
    if (catalog.toolsLoaded) return;
    await this.withRetries(async () => {
      await untilAborted(connection.client(), budget.signal);
      if (!catalog.toolsLoaded) await withAttemptSignal(budget, (signal) => connection.refreshTools(signal, this.sdkTimeout(budget)));
    }, budget);
  }

  /** Runs a prepared call within the budget and returns its result. */
  async run(prepared: PreparedCall, request: AgentServiceRequest, budget: CallBudget): Promise<unknown> {
    const { operation } = prepared;
    if (operation.kind === "local") {
      budget.attempts += 1;
      const local = operation.operation;
      const output = await untilAborted(
        Promise.resolve().then(() => local.handler(prepared.arguments, { signal: budget.signal, request_id: request.request_id })),
        budget.signal,
      );
      const checked = local.output.safeParse(output);
      if (!checked.success) {
        throw new Error(`local operation ${operation.name} returned a value outside its output schema: ${formatFieldErrors(zodFieldErrors(checked.error))}`);
      }
      return checked.data;
    }
    const { connection, limit } = this.options;
    const args = prepared.arguments as Record<string, unknown>;
    const result = await this.withRetries(
      () =>
        untilAborted(
          // The slot may open after the deadline; then the call is not made at all.
          limit(() =>
            budget.signal.aborted
              ? Promise.reject(budget.signal.reason as Error)
              : withAttemptSignal(budget, (signal) => connection.callTool(operation.name, args, signal, this.sdkTimeout(budget))),
          ),
          budget.signal,
        ),
      budget,
    );
    return this.interpret(operation, result);
  }

  private prepareLocal(operation: LocalCatalogOperation, request: AgentServiceRequest): PreparedCall {
    const parsed = operation.operation.input.safeParse(request.parameters);
    if (!parsed.success) {
      const errors = zodFieldErrors(parsed.error);
      throw new AgentServiceError(400, "INVALID_PARAMETERS", `Invalid parameters for ${operation.name}: ${formatFieldErrors(errors)}`, errors);
    }
    const { read_only, idempotent } = operation.descriptor.annotations;
    return { operation, arguments: parsed.data, repeatable: read_only || idempotent };
  }

  private prepareTool(operation: ToolOperation, request: AgentServiceRequest): PreparedCall {
    const args: Record<string, unknown> = { ...request.parameters };
    const key = request.context?.idempotency_key;
    if (key !== undefined && operation.acceptsIdempotencyKey) {
      if (args.idempotency_key !== undefined && args.idempotency_key !== key) {
        throw new AgentServiceError(
          400,
          "CONFLICTING_IDEMPOTENCY_KEY",
          `parameters.idempotency_key and context.idempotency_key differ; send one of them, or the same value in both.`,
          [{ path: "idempotency_key", message: "differs from context.idempotency_key" }],
        );
      }
      args.idempotency_key = key;
    }
    const errors = operation.checkInput(args);
    if (errors.length > 0) {
      throw new AgentServiceError(400, "INVALID_PARAMETERS", `Invalid parameters for ${operation.name}: ${formatFieldErrors(errors)}`, errors);
    }
    const { read_only, idempotent } = operation.descriptor.annotations;
    return { operation, arguments: args, repeatable: read_only || idempotent || typeof args.idempotency_key === "string" };
  }

  private interpret(operation: ToolOperation, result: CallToolResult): unknown {
    if (result.isError) {
      const text = textOf(result);
      const meta = (result._meta ?? {}) as Record<string, unknown>;
      const code = typeof meta.error_code === "string" ? meta.error_code : undefined;
      if (code === undefined && SERVER_INPUT_VALIDATION.test(text)) {
        throw new AgentServiceError(400, "INVALID_PARAMETERS", text);
      }
      if (code === undefined && SERVER_UNKNOWN_TOOL.test(text)) {
        this.refreshInBackground();
        throw new AgentServiceError(400, "UNKNOWN_OPERATION", `${text}; the capability list was stale and is being refreshed.`);
      }
      throw new AgentServiceError(422, code ?? "TOOL_ERROR", text || `${operation.name} failed without a message.`, meta.details, { retryable: false });
    }
    if (result.structuredContent !== undefined) {
      const errors = operation.checkOutput(result.structuredContent);
      if (errors.length > 0) {
        throw new AgentServiceError(
          502,
          "INVALID_TOOL_OUTPUT",
          `${operation.name} returned structured content that does not match its output schema: ${formatFieldErrors(errors)}`,
          errors,
          { retryable: false },
        );
      }
      return result.structuredContent;
    }
    if (operation.descriptor.output_schema !== null) {
      throw new AgentServiceError(502, "INVALID_TOOL_OUTPUT", `${operation.name} declares an output schema but returned no structured content.`, undefined, {
        retryable: false,
      });
    }
    return unstructuredResult(result);
  }

  private withRetries<T>(attempt: () => Promise<T>, budget: CallBudget): Promise<T> {
    const { retry, log } = this.options;
    return pRetry(
      async () => {
        budget.attempts += 1;
        return attempt();
      },
      {
        retries: retry.retries,
        minTimeout: retry.minDelayMs,
        maxTimeout: retry.maxDelayMs,
        factor: 2,
        randomize: true,
        signal: budget.signal,
        // Only transport failures: a domain error or a validation error would fail the same way again.
        shouldRetry: ({ error }) => error instanceof McpUnavailableError && error.retryable,
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          if (error instanceof McpUnavailableError && error.retryable && retriesLeft > 0) {
            log(`MCP attempt ${attemptNumber} failed, retrying: ${error.message}`);
          }
        },
      },
    ).catch((error: unknown) => {
      if (budget.signal.aborted) throw budget.signal.reason;
      if (error instanceof McpUnavailableError) {
        throw new AgentServiceError(
          503,
          "MCP_UNAVAILABLE",
          `${error.message} (gave up after ${budget.attempts} attempt${budget.attempts === 1 ? "" : "s"})`,
          { url: this.options.connection.url, attempts: budget.attempts },
          { retryable: error.retryable, cause: error },
        );
      }
      throw error;
    });
  }

  private sdkTimeout(budget: CallBudget): number {
    return Math.max(1, budget.deadlineAt - Date.now()) + SDK_TIMEOUT_MARGIN_MS;
  }

  private refreshInBackground(): void {
    const scope = createAbortScope({ parent: this.options.lifecycle, timeoutMs: this.options.defaultTimeoutMs });
    this.options.connection
      .refreshTools(scope.signal, this.options.defaultTimeoutMs)
      .catch((error: unknown) => this.options.log(`refreshing the tool list failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => scope.dispose());
  }
}
