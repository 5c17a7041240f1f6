/**
 * The no-LLM baseline ("msa"): the order workflow hard-coded in TypeScript, calling the agent
 * services' `/execute` directly, with the rule plan's steps, idempotency keys, retries and
 * compensation, but no planner, no validator, no registry and no workflow store.
 */
import pRetry, { AbortError } from "p-retry";
import type { ServiceName } from "../../scripts/stack.js";

interface AgentError {
  code: string;
  message: string;
  retryable: boolean;
}

interface AgentAnswer {
  success: boolean;
  result: unknown;
  error?: AgentError;
}

/** A step as the rule planner plans it for "Place an order for <q> <sku>". */
interface OrderStep {
  stepId: string;
  service: ServiceName;
  operation: string;
  parameters(results: Map<string, Record<string, unknown>>): Record<string, unknown>;
  /** Retries of retryable failures (the rule plan's `retry_attempts`). */
  retries: number;
  /** Whether it changes something, so it carries an idempotency key. */
  mutating: boolean;
  /** Undoes it after a later failure: operation and the parameters taken from its result. */
  compensation?: { operation: string; parameters(result: Record<string, unknown>): Record<string, unknown> };
}

/** The record of one step of a run. */
export interface MsaStepRun {
  stepId: string;
  operation: string;
  status: "succeeded" | "failed";
  attempts: number;
  result: Record<string, unknown> | null;
  error: AgentError | null;
}

/** What one hard-coded workflow did. */
export interface MsaRun {
  success: boolean;
  steps: MsaStepRun[];
  compensations: Array<{ stepId: string; operation: string; success: boolean }>;
}

/** Timeouts and backoff of the baseline, the same as the orchestrator's. */
export interface MsaSettings {
  /** The rule plan's `timeout_seconds` of every step. */
  stepTimeoutSeconds: number;
  /** The executor's backoff between retries, before jitter. */
  retryMinTimeoutMs: number;
  retryMaxTimeoutMs: number;
}

/** The orchestrator's defaults: 10 s per step, backoff 100 ms to 2 s. */
export const defaultMsaSettings: MsaSettings = { stepTimeoutSeconds: 10, retryMinTimeoutMs: 100, retryMaxTimeoutMs: 2_000 };

class StepFailure extends Error {
  constructor(readonly detail: AgentError) {
    super(detail.message);
  }
}

function orderSteps(sku: string, quantity: number): OrderStep[] {
  const reservationId = (results: Map<string, Record<string, unknown>>) => results.get("reserve_stock")!.reservation_id;
  return [
    { stepId: "check_stock", service: "inventory", operation: "check_inventory", parameters: () => ({ sku, quantity }), retries: 2, mutating: false },
    {
      stepId: "reserve_stock",
      service: "inventory",
      operation: "reserve_stock",
      parameters: () => ({ sku, quantity }),
      retries: 2,
      mutating: true,
      compensation: { operation: "release_reservation", parameters: (result) => ({ reservation_id: result.reservation_id }) },
    },
    {
      stepId: "create_order",
      service: "order",
      operation: "create_order",
      parameters: (results) => ({ sku, quantity, reservation_id: reservationId(results) }),
      retries: 2,
      mutating: true,
      compensation: { operation: "cancel_order", parameters: (result) => ({ order_id: result.order_id }) },
    },
    { stepId: "commit_reservation", service: "inventory", operation: "commit_reservation", parameters: (results) => ({ reservation_id: reservationId(results) }), retries: 2, mutating: true },
    {
      stepId: "confirm_order",
      service: "order",
      operation: "update_order_status",
      parameters: (results) => ({ order_id: results.get("create_order")!.order_id, status: "confirmed" }),
      retries: 2,
      mutating: true,
    },
  ];
}

async function execute(agentUrl: string, body: Record<string, unknown>, timeoutSeconds: number): Promise<AgentAnswer> {
  const response = await fetch(`${agentUrl}/execute`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...body, timeout: timeoutSeconds }),
    signal: AbortSignal.timeout(timeoutSeconds * 1000),
  });
  return (await response.json()) as AgentAnswer;
}

function transportError(error: unknown): AgentError {
  if (error instanceof StepFailure) return error.detail;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return { code: "TIMEOUT", message: "the step timed out", retryable: true };
  return { code: "SERVICE_UNAVAILABLE", message: error instanceof Error ? error.message : String(error), retryable: true };
}

/**
 * Places one order the way the rule plan does: check, reserve, create the order, commit,
 * confirm; retryable failures are retried with the same idempotency key; after a failure the
 * completed steps are compensated newest first, and a step that failed on a retryable error
 * is first replayed with its key to learn whether it took effect.
 */
export async function placeOrderWithoutLlm(
  agents: Record<ServiceName, string>,
  workflowId: string,
  order: { sku: string; quantity: number },
  settings: MsaSettings = defaultMsaSettings,
): Promise<MsaRun> {
  const results = new Map<string, Record<string, unknown>>();
  const runs: Array<{ step: OrderStep; run: MsaStepRun; parameters: Record<string, unknown> }> = [];
  const context = (step: OrderStep) => ({ workflow_id: workflowId, step_id: step.stepId, ...(step.mutating ? { idempotency_key: `${workflowId}:${step.stepId}` } : {}) });

  for (const step of orderSteps(order.sku, order.quantity)) {
    const parameters = step.parameters(results);
    const run: MsaStepRun = { stepId: step.stepId, operation: step.operation, status: "failed", attempts: 0, result: null, error: null };
    runs.push({ step, run, parameters });
    try {
      const result = await pRetry(
        async (attempt) => {
          run.attempts = attempt;
          let answer: AgentAnswer;
          try {
            answer = await execute(agents[step.service], { request_id: `${workflowId}:${step.stepId}`, operation: step.operation, parameters, context: context(step) }, settings.stepTimeoutSeconds);
          } catch (error) {
            throw new StepFailure(transportError(error));
          }
          if (!answer.success) {
            const detail = answer.error ?? { code: "UNKNOWN", message: "the service reported a failure without details", retryable: false };
            if (!detail.retryable) throw new AbortError(new StepFailure(detail));
            throw new StepFailure(detail);
          }
          return answer.result as Record<string, unknown>;
        },
        { retries: step.retries, randomize: true, minTimeout: settings.retryMinTimeoutMs, maxTimeout: settings.retryMaxTimeoutMs },
      );
      run.status = "succeeded";
      run.result = result;
      results.set(step.stepId, result);
    } catch (error) {
      run.error = transportError(error);
      break;
    }
  }

  const success = runs.every(({ run }) => run.status === "succeeded") && runs.length === 5;
  const compensations: MsaRun["compensations"] = [];
  if (!success) {
    for (const { step, run, parameters } of [...runs].reverse()) {
      if (!step.compensation) continue;
      let result = run.result;
      if (run.status === "failed" && run.error?.retryable && run.attempts > 0) {
        // It may have taken effect although its answer was lost: the same key returns the first result.
        const replay = await execute(
          agents[step.service],
          { request_id: `${workflowId}:${step.stepId}:replay`, operation: step.operation, parameters, context: context(step) },
          settings.stepTimeoutSeconds,
        ).catch(() => undefined);
        result = replay?.success ? (replay.result as Record<string, unknown>) : null;
      }
      if (!result) continue;
      const answer = await execute(
        agents[step.service],
        {
          request_id: `${workflowId}:${step.stepId}:compensate`,
          operation: step.compensation.operation,
          parameters: step.compensation.parameters(result),
          context: { workflow_id: workflowId, step_id: step.stepId, idempotency_key: `${workflowId}:${step.stepId}:compensate` },
        },
        settings.stepTimeoutSeconds,
      ).catch(() => undefined);
      compensations.push({ stepId: step.stepId, operation: step.compensation.operation, success: answer?.success ?? false });
    }
  }
  return { success, steps: runs.map(({ run }) => run), compensations };
}
