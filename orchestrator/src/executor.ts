import pRetry, { AbortError } from "p-retry";
import type { AgentServiceError, AgentServiceRequest, ServiceCapabilities, ServiceDirectory } from "./capabilities.js";
import { findReferences, parseStepReference, type ExecutionStep, type WorkflowPlan } from "./plan-schema.js";
import { findOperation } from "./plan-validator.js";
import type { StepStatus } from "./schema.js";
import { runValidationCheck, valueAt } from "./validation-checks.js";
import type { WorkflowStore } from "./workflow-store.js";

export interface StepOutcome {
  step_id: string;
  service_name: string;
  operation: string;
  status: StepStatus;
  attempts: number;
  result: unknown;
  error: AgentServiceError | null;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
}

export interface CompensationOutcome {
  for_step: string;
  service_name: string;
  operation: string;
  success: boolean;
  attempts: number;
  error?: string;
}

export interface ExecutionOutcome {
  success: boolean;
  steps: StepOutcome[];
  compensations: CompensationOutcome[];
  error?: string;
}

export interface ExecutorOptions {
  /** Backoff between retries, before jitter. */
  retryMinTimeoutMs: number;
  retryMaxTimeoutMs: number;
  /** Retries of a compensation, and the longest wait between two of them. */
  compensationRetries: number;
  compensationMaxTimeoutMs: number;
}

export const defaultExecutorOptions: ExecutorOptions = {
  retryMinTimeoutMs: 100,
  retryMaxTimeoutMs: 2_000,
  compensationRetries: 6,
  compensationMaxTimeoutMs: 2_000,
};

/** Raised inside a step when the agent answers with a failure. */
class StepFailure extends Error {
  constructor(readonly detail: AgentServiceError) {
    super(detail.message);
  }
}

function toServiceError(error: unknown): AgentServiceError {
  if (error instanceof StepFailure) return error.detail;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return { code: "TIMEOUT", message: "the step timed out", retryable: true };
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown })?.code;
  return { code: typeof code === "string" ? code : "SERVICE_UNAVAILABLE", message, retryable: true };
}

/** Replaces every `{{steps.X.result.path}}` with the referenced value, keeping its type. */
export function resolveParameters(parameters: Record<string, unknown>, results: Map<string, unknown>): Record<string, unknown> {
  const resolve = (value: unknown): unknown => {
    const reference = parseStepReference(value);
    if (reference) {
      const resolved = valueAt(results.get(reference.stepId), reference.path);
      if (resolved === undefined) {
        throw new StepFailure({
          code: "UNRESOLVED_REFERENCE",
          message: `${String(value)} has no value in the result of step "${reference.stepId}"`,
          retryable: false,
        });
      }
      return resolved;
    }
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    return value;
  };
  return resolve(parameters) as Record<string, unknown>;
}

/**
 * Undo is what keeps the books straight after a failure, so it is retried longer than a
 * step: a service that is briefly unreachable (or marked down until its next health
 * check) still gets its release. The idempotency key makes every retry safe.
 */
export async function executeCompensation(
  directory: ServiceDirectory,
  service: string,
  request: AgentServiceRequest,
  timeoutSeconds: number,
  options: ExecutorOptions = defaultExecutorOptions,
): Promise<{ success: boolean; attempts: number; error?: string }> {
  let attempts = 0;
  try {
    await pRetry(
      async () => {
        attempts += 1;
        let response;
        try {
          response = await directory.execute(service, request, AbortSignal.timeout(timeoutSeconds * 1000));
        } catch (error) {
          throw new StepFailure(toServiceError(error));
        }
        if (response.success) return;
        const detail = response.error ?? { code: "UNKNOWN", message: "the compensation failed without details", retryable: false };
        throw detail.retryable ? new StepFailure(detail) : new AbortError(new StepFailure(detail));
      },
      { retries: options.compensationRetries, randomize: true, minTimeout: options.retryMinTimeoutMs, maxTimeout: options.compensationMaxTimeoutMs },
    );
    return { success: true, attempts };
  } catch (error) {
    return { success: false, attempts, error: toServiceError(error).message };
  }
}

/**
 * Runs a validated plan as a DAG: a step starts as soon as its own dependencies have
 * succeeded, each step's state is persisted before its dependents start, and a failed
 * workflow gives back what it reserved.
 */
export class WorkflowExecutor {
  constructor(
    private readonly directory: ServiceDirectory,
    private readonly store: WorkflowStore,
    private readonly options: ExecutorOptions = defaultExecutorOptions,
  ) {}

  async run(workflowId: string, plan: WorkflowPlan, capabilities: ServiceCapabilities[]): Promise<ExecutionOutcome> {
    const steps = [...plan.execution_steps].sort((a, b) => a.step_order - b.step_order);
    const outcomes = new Map<string, StepOutcome>(
      steps.map((s) => [
        s.step_id,
        { step_id: s.step_id, service_name: s.service_name, operation: s.operation, status: "pending", attempts: 0, result: null, error: null, started_at: null, finished_at: null, duration_ms: null },
      ]),
    );
    const results = new Map<string, unknown>();
    const completionOrder: string[] = [];
    let abortedBy: string | undefined;

    await new Promise<void>((done) => {
      let running = 0;
      const schedule = () => {
        let changed = true;
        while (changed) {
          changed = false;
          for (const step of steps) {
            const outcome = outcomes.get(step.step_id)!;
            if (outcome.status !== "pending") continue;
            const blocked = step.dependencies.find((d) => {
              const status = outcomes.get(d)?.status;
              return status === "failed" || status === "skipped";
            });
            if (blocked || abortedBy) {
              const reason = blocked
                ? `skipped because dependency "${blocked}" ${outcomes.get(blocked)!.status}`
                : `skipped because the workflow was aborted after step "${abortedBy}" failed`;
              this.finishStep(workflowId, outcome, "skipped", { code: "SKIPPED", message: reason, retryable: false });
              changed = true;
              continue;
            }
            if (step.dependencies.every((d) => outcomes.get(d)?.status === "succeeded")) {
              running += 1;
              outcome.status = "running";
              void this.runStep(workflowId, step, outcome, results, capabilities).then(() => {
                running -= 1;
                completionOrder.push(step.step_id);
                if (outcome.status === "failed" && step.failure_handling !== "skip") abortedBy ??= step.step_id;
                schedule();
              });
              changed = true;
            }
          }
        }
        if (running === 0) done();
      };
      schedule();
    });

    const failed = [...outcomes.values()].filter((o) => o.status === "failed");
    const compensations = failed.length > 0 ? await this.compensate(workflowId, steps, outcomes, completionOrder, capabilities) : [];
    const firstFailure = failed[0];
    return {
      success: failed.length === 0,
      steps: steps.map((s) => outcomes.get(s.step_id)!),
      compensations,
      ...(firstFailure ? { error: `step "${firstFailure.step_id}" failed: ${firstFailure.error?.message ?? "unknown error"}` } : {}),
    };
  }

  private finishStep(workflowId: string, outcome: StepOutcome, status: StepStatus, error: AgentServiceError | null, result?: unknown): void {
    const finishedAt = new Date();
    outcome.status = status;
    outcome.error = error;
    outcome.finished_at = finishedAt.toISOString();
    if (outcome.started_at) outcome.duration_ms = finishedAt.getTime() - Date.parse(outcome.started_at);
    if (result !== undefined) outcome.result = result;
    this.store.updateStep(
      workflowId,
      outcome.step_id,
      { status, error, finishedAt, attempts: outcome.attempts, ...(result !== undefined ? { result } : {}) },
      `step_${status}`,
    );
  }

  private async runStep(workflowId: string, step: ExecutionStep, outcome: StepOutcome, results: Map<string, unknown>, capabilities: ServiceCapabilities[]): Promise<void> {
    const startedAt = new Date();
    outcome.started_at = startedAt.toISOString();
    let parameters: Record<string, unknown>;
    try {
      parameters = resolveParameters(step.parameters, results);
    } catch (error) {
      this.store.updateStep(workflowId, step.step_id, { status: "running", startedAt }, "step_running");
      this.finishStep(workflowId, outcome, "failed", toServiceError(error));
      return;
    }
    this.store.updateStep(workflowId, step.step_id, { status: "running", startedAt, parameters }, "step_running");

    const operation = findOperation(capabilities, step.service_name, step.operation);
    const mutating = !(operation?.annotations.read_only ?? false);
    const context = { workflow_id: workflowId, step_id: step.step_id, ...(mutating ? { idempotency_key: `${workflowId}:${step.step_id}` } : {}) };
    const retries = step.failure_handling === "retry" ? step.retry_attempts : 0;

    try {
      const result = await pRetry(
        async (attemptNumber) => {
          outcome.attempts = attemptNumber;
          this.store.updateStep(workflowId, step.step_id, { attempts: attemptNumber });
          let response;
          try {
            response = await this.directory.execute(
              step.service_name,
              { request_id: `${workflowId}:${step.step_id}`, operation: step.operation, parameters, context, timeout: step.timeout_seconds },
              AbortSignal.timeout(step.timeout_seconds * 1000),
            );
          } catch (error) {
            throw new StepFailure(toServiceError(error));
          }
          if (!response.success) {
            const detail = response.error ?? { code: "UNKNOWN", message: "the service reported a failure without details", retryable: false };
            if (!detail.retryable) throw new AbortError(new StepFailure(detail));
            throw new StepFailure(detail);
          }
          for (const check of step.validation_checks) {
            const checked = runValidationCheck(check, response.result);
            if (!checked.passed) {
              throw new AbortError(
                new StepFailure({ code: "VALIDATION_CHECK_FAILED", message: `validation check "${check}" failed (actual: ${JSON.stringify(checked.actual)})`, retryable: false }),
              );
            }
          }
          return response.result;
        },
        { retries, randomize: true, minTimeout: this.options.retryMinTimeoutMs, maxTimeout: this.options.retryMaxTimeoutMs },
      );
      results.set(step.step_id, result);
      this.finishStep(workflowId, outcome, "succeeded", null, result);
    } catch (error) {
      const detail = toServiceError(error);
      this.finishStep(workflowId, outcome, step.failure_handling === "skip" ? "skipped" : "failed", detail);
    }
  }

  /**
   * Undoes what a failed workflow reserved or created, newest first. A step that failed on a
   * timeout or transport error may still have taken effect, so it is replayed with its own
   * idempotency key first: the replay returns the original result, which is then undone.
   */
  private async compensate(
    workflowId: string,
    steps: ExecutionStep[],
    outcomes: Map<string, StepOutcome>,
    completionOrder: string[],
    capabilities: ServiceCapabilities[],
  ): Promise<CompensationOutcome[]> {
    const compensations: CompensationOutcome[] = [];
    for (const stepId of [...completionOrder].reverse()) {
      const step = steps.find((s) => s.step_id === stepId)!;
      const outcome = outcomes.get(stepId)!;
      const operation = findOperation(capabilities, step.service_name, step.operation);
      const compensation = operation?.compensation;
      if (!compensation) continue;
      let result = outcome.status === "succeeded" ? outcome.result : undefined;
      if (outcome.status !== "succeeded" && outcome.error?.retryable && outcome.attempts > 0) {
        result = await this.replay(workflowId, step, outcome);
      }
      if (result === undefined || result === null) continue;
      const compensationOp = findOperation(capabilities, step.service_name, compensation);
      const required = (compensationOp?.input_schema.required as string[] | undefined) ?? [];
      const stored = outcome.status === "succeeded" ? (this.store.get(workflowId)?.steps.find((s) => s.step_id === stepId)?.parameters as Record<string, unknown> | undefined) : undefined;
      const parameters = Object.fromEntries(
        required.map((name) => [name, (result as Record<string, unknown>)[name] ?? stored?.[name]]).filter(([, v]) => v !== undefined),
      );
      const request = {
        request_id: `${workflowId}:${stepId}:compensate`,
        operation: compensation,
        parameters,
        context: { workflow_id: workflowId, step_id: stepId, idempotency_key: `${workflowId}:${stepId}:compensate` },
        timeout: step.timeout_seconds,
      };
      const entry = await executeCompensation(this.directory, step.service_name, request, step.timeout_seconds, this.options);
      const record: CompensationOutcome = { for_step: stepId, service_name: step.service_name, operation: compensation, ...entry };
      compensations.push(record);
      this.store.appendEvent(workflowId, "compensation", stepId, record);
    }
    return compensations;
  }

  private async replay(workflowId: string, step: ExecutionStep, outcome: StepOutcome): Promise<unknown> {
    const stored = this.store.get(workflowId)?.steps.find((s) => s.step_id === step.step_id)?.parameters as Record<string, unknown> | undefined;
    if (!stored || findReferences(stored).length > 0) return undefined;
    try {
      const response = await this.directory.execute(
        step.service_name,
        { request_id: `${workflowId}:${step.step_id}:replay`, operation: step.operation, parameters: stored, context: { workflow_id: workflowId, step_id: step.step_id, idempotency_key: `${workflowId}:${step.step_id}` }, timeout: step.timeout_seconds },
        AbortSignal.timeout(step.timeout_seconds * 1000),
      );
      return response.success ? response.result : undefined;
    } catch {
      outcome.error = { ...(outcome.error ?? { code: "UNKNOWN", message: "", retryable: true }), message: `${outcome.error?.message ?? ""} (its effect could not be checked)` };
      return undefined;
    }
  }
}
