import { randomUUID } from "node:crypto";
import pRetry from "p-retry";
import type { ServiceDirectory } from "./capabilities.js";
import { OrchestratorError } from "./errors.js";
import { WorkflowExecutor, type ExecutionOutcome, type ExecutorOptions } from "./executor.js";
import type { LlmClient } from "./llm-client.js";
import type { WorkflowPlan } from "./plan-schema.js";
import { validatePlan, type PlanLimits, type PlanProblem } from "./plan-validator.js";
import { addUsage, noUsage, PlanningError, type LlmUsage, type Planner } from "./planner/planner.js";
import { runReactLoop } from "./react-loop.js";
import { formatExecutionSummary } from "./result-formatter.js";
import type { WorkflowStore, WorkflowView } from "./workflow-store.js";

export interface OrchestratorRequest {
  request_id?: string | undefined;
  user_request: string;
  priority?: "low" | "normal" | "high" | undefined;
  callback_url?: string | undefined;
  context?: Record<string, unknown> | undefined;
  mode?: "plan" | "react" | undefined;
}

export interface OrchestratorResponse {
  request_id: string;
  success: boolean;
  status: WorkflowView["status"];
  workflow_plan: WorkflowPlan | null;
  execution_results: WorkflowView["steps"];
  final_result: string;
  execution_time: number;
  timestamp: string;
  llm_usage: LlmUsage;
  compensations: unknown;
  error: string | null;
}

export interface OrchestratorSettings {
  maxRepairAttempts: number;
  limits: PlanLimits;
  reactMaxTurns: number;
  reactStepTimeoutSeconds: number;
  executor?: ExecutorOptions;
  callbackRetries: number;
}

/**
 * Request in, workflow out: plan (with repair), validate, persist, execute, summarise.
 * A request id runs at most once; asking again returns the same workflow.
 */
export class Orchestrator {
  private readonly inflight = new Map<string, Promise<OrchestratorResponse>>();
  private readonly executor: WorkflowExecutor;

  constructor(
    private readonly directory: ServiceDirectory,
    private readonly store: WorkflowStore,
    private readonly planner: Planner,
    private readonly llm: LlmClient | undefined,
    private readonly settings: OrchestratorSettings,
  ) {
    this.executor = new WorkflowExecutor(directory, store, settings.executor);
    // A crash mid-workflow leaves rows behind; say so instead of pretending they still run.
    for (const id of store.unfinished()) {
      store.finish(id, { status: "failed", finalResult: "Interrupted: the orchestrator stopped while this workflow ran.", error: "interrupted by an orchestrator restart" });
    }
  }

  get plannerKind(): "rules" | "llm" {
    return this.planner.kind;
  }

  /** Starts (or joins) the workflow and resolves when it has finished. */
  orchestrate(request: OrchestratorRequest): Promise<OrchestratorResponse> {
    return this.start(request).done;
  }

  /** Starts (or joins) the workflow and returns at once; `done` resolves when it finishes. */
  start(request: OrchestratorRequest): { requestId: string; created: boolean; done: Promise<OrchestratorResponse> } {
    const requestId = request.request_id ?? randomUUID();
    const mode = request.mode ?? "plan";
    if (mode === "react" && !this.llm) {
      throw new OrchestratorError(422, "REACT_NEEDS_LLM", "ReAct mode needs an LLM: set OPENAI_API_KEY (and OPENAI_BASE_URL for a local server).");
    }
    const existing = this.inflight.get(requestId);
    if (existing) return { requestId, created: false, done: existing };
    if (!this.store.get(requestId) && this.directory.healthyCapabilities().length === 0) {
      throw new OrchestratorError(503, "NO_HEALTHY_SERVICES", "No agent service is healthy right now; check GET /services and try again.");
    }
    const { created } = this.store.create({
      id: requestId,
      userRequest: request.user_request,
      mode,
      planner: mode === "react" ? "llm" : this.planner.kind,
      priority: request.priority,
      context: request.context,
      callbackUrl: request.callback_url,
    });
    if (!created) {
      const stored = this.store.get(requestId)!;
      if (stored.user_request !== request.user_request) {
        throw new OrchestratorError(409, "REQUEST_ID_REUSED", `request_id "${requestId}" was already used for a different request ("${stored.user_request}"); use a new request_id.`);
      }
      return { requestId, created: false, done: Promise.resolve().then(() => this.responseFor(requestId)) };
    }
    const done = this.run(requestId, request, mode).finally(() => this.inflight.delete(requestId));
    this.inflight.set(requestId, done);
    if (request.callback_url) {
      const url = request.callback_url;
      void done.then(
        (response) => this.deliverCallback(requestId, url, response),
        (error: unknown) =>
          this.deliverCallback(requestId, url, {
            request_id: requestId,
            success: false,
            status: "rejected",
            error: error instanceof Error ? error.message : String(error),
            details: error instanceof OrchestratorError ? error.details : undefined,
            timestamp: new Date().toISOString(),
          }),
      );
    }
    return { requestId, created: true, done };
  }

  /** The response for a stored workflow; a rejected one raises the same 422 it raised first. */
  responseFor(requestId: string): OrchestratorResponse {
    const view = this.store.get(requestId);
    if (!view) throw new OrchestratorError(404, "WORKFLOW_NOT_FOUND", `No workflow with request_id "${requestId}".`);
    if (view.status === "rejected") {
      throw new OrchestratorError(422, "PLANNING_FAILED", view.error ?? "planning failed", { problems: view.problems, llm_usage: view.llm_usage });
    }
    const started = Date.parse(view.created_at);
    const finished = view.finished_at ? Date.parse(view.finished_at) : Date.now();
    return {
      request_id: view.request_id,
      success: view.status === "succeeded",
      status: view.status,
      workflow_plan: view.workflow_plan,
      execution_results: view.steps,
      final_result: view.final_result ?? "",
      execution_time: (finished - started) / 1000,
      timestamp: new Date().toISOString(),
      llm_usage: view.llm_usage,
      compensations: view.compensations,
      error: view.error,
    };
  }

  private async run(requestId: string, request: OrchestratorRequest, mode: "plan" | "react"): Promise<OrchestratorResponse> {
    const startedAt = Date.now();
    const capabilities = this.directory.healthyCapabilities();
    if (mode === "react") {
      this.store.setStatus(requestId, "running");
      const outcome = await runReactLoop({
        workflowId: requestId,
        userRequest: request.user_request,
        context: request.context,
        capabilities,
        directory: this.directory,
        store: this.store,
        llm: this.llm!,
        maxTurns: this.settings.reactMaxTurns,
        stepTimeoutSeconds: this.settings.reactStepTimeoutSeconds,
      }).catch((error: unknown) => ({
        success: false,
        answer: "",
        turns: 0,
        usage: noUsage(),
        error: `the model could not be reached: ${error instanceof Error ? error.message : String(error)}`,
        compensations: [],
      }));
      const view = this.store.get(requestId)!;
      const lines = [
        `Execution summary (ReAct): ${outcome.success ? "completed" : "failed"}`,
        `Request: ${request.user_request}`,
        `Turns: ${outcome.turns}, model calls: ${view.llm_usage.calls}, actions: ${view.steps.length}`,
        "",
        "Steps:",
        ...view.steps.map((s) => `  ${s.status === "succeeded" ? "✅" : "❌"} ${s.step_order}. ${s.service_name}.${s.operation}`),
        "",
        outcome.success ? `Answer: ${outcome.answer}` : `Error: ${outcome.error}`,
      ];
      this.store.finish(requestId, { status: outcome.success ? "succeeded" : "failed", finalResult: lines.join("\n"), error: outcome.error, compensations: outcome.compensations });
      return this.responseFor(requestId);
    }

    const planned = await this.plan(requestId, request.user_request, request.context, capabilities);
    this.store.setPlan(requestId, planned.plan, planned.usage);
    const outcome: ExecutionOutcome = await this.executor.run(requestId, planned.plan, capabilities);
    const finalResult = formatExecutionSummary({
      userRequest: request.user_request,
      plan: planned.plan,
      steps: outcome.steps,
      compensations: outcome.compensations,
      success: outcome.success,
      executionSeconds: (Date.now() - startedAt) / 1000,
    });
    this.store.finish(requestId, { status: outcome.success ? "succeeded" : "failed", finalResult, error: outcome.error, compensations: outcome.compensations });
    return this.responseFor(requestId);
  }

  /** Propose, validate, and give the model the problems back up to `maxRepairAttempts` times. */
  private async plan(requestId: string, userRequest: string, context: Record<string, unknown> | undefined, capabilities: ReturnType<ServiceDirectory["healthyCapabilities"]>) {
    let usage = noUsage();
    let feedback: { previous: unknown; problems: PlanProblem[] } | undefined;
    const attempts = this.planner.canRepair ? this.settings.maxRepairAttempts + 1 : 1;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      let proposal;
      try {
        proposal = await this.planner.propose({ requestId, userRequest, capabilities, ...(context ? { context } : {}), ...(feedback ? { feedback } : {}) });
      } catch (error) {
        if (error instanceof PlanningError) {
          usage = addUsage(usage, error.usage);
          this.store.reject(requestId, error.message, error.problems, usage);
          throw new OrchestratorError(422, "PLANNING_FAILED", error.message, { problems: error.problems, supported_requests: error.hint, llm_usage: usage });
        }
        const message = `the planner failed: ${error instanceof Error ? error.message : String(error)}`;
        this.store.reject(requestId, message, [], usage);
        throw new OrchestratorError(422, "PLANNING_FAILED", message, { llm_usage: usage });
      }
      usage = addUsage(usage, proposal.usage);
      const validation = validatePlan(proposal.candidate, capabilities, { unhealthyServices: this.directory.unhealthyServices(), limits: this.settings.limits });
      if (validation.valid) return { plan: validation.plan, usage };
      this.store.appendEvent(requestId, "plan_invalid", null, { attempt, problems: validation.problems });
      feedback = { previous: proposal.candidate, problems: validation.problems };
    }
    const message = `The plan failed validation${attempts > 1 ? ` after ${attempts} attempts` : ""}; nothing was executed.`;
    this.store.reject(requestId, message, feedback?.problems ?? [], usage);
    throw new OrchestratorError(422, "INVALID_PLAN", message, { problems: feedback?.problems ?? [], llm_usage: usage });
  }

  private async deliverCallback(requestId: string, url: string, response: OrchestratorResponse | Record<string, unknown>): Promise<void> {
    try {
      await pRetry(
        async () => {
          const reply = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(response), signal: AbortSignal.timeout(10_000) });
          if (!reply.ok) throw new Error(`callback answered ${reply.status}`);
        },
        { retries: this.settings.callbackRetries, randomize: true, minTimeout: 200, maxTimeout: 5_000 },
      );
      this.store.setCallbackStatus(requestId, "delivered");
    } catch (error) {
      this.store.setCallbackStatus(requestId, `failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
