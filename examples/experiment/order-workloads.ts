/**
 * One order, sent the way each mode sends it, measured and classified into a RequestRecord.
 */
import type { OrchestratorResponse } from "@switchyard/orchestrator";
import type { ServiceName } from "../../scripts/stack.js";
import type { ExperimentMode, Outcome, RequestRecord } from "./experiment-types.js";
import { placeOrderWithoutLlm, type MsaSettings } from "./msa-orchestration.js";

/** "Place an order for 2 laptops" (singular for one). */
export function orderRequestText(quantity: number, sku: string): string {
  return `Place an order for ${quantity} ${sku}${quantity === 1 ? "" : "s"}`;
}

/** A record without its place in the run (index and start offset are the caller's). */
export type MeasuredRequest = Omit<RequestRecord, "index" | "started_ms">;

const noLlm = { llm_calls: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

interface StepLike {
  step_id: string;
  operation: string;
  status: string;
  attempts: number;
  result: unknown;
  error: unknown;
}

function errorOf(step: StepLike): { code?: string; message?: string } {
  return (step.error ?? {}) as { code?: string; message?: string };
}

/**
 * Succeeded when the order was confirmed (an `update_order_status` step answered status
 * confirmed), out of stock when a step failed with OUT_OF_STOCK, else failed with the first
 * failing step's code as the reason.
 */
function classify(steps: StepLike[], fallback: { reason: string; detail: string } | null): { outcome: Outcome; reason: string | null; detail: string | null } {
  const confirmed = steps.some((s) => s.operation === "update_order_status" && s.status === "succeeded" && (s.result as { status?: string } | null)?.status === "confirmed");
  if (confirmed) return { outcome: "succeeded", reason: null, detail: null };
  const outOfStock = steps.find((s) => s.status === "failed" && errorOf(s).code === "OUT_OF_STOCK");
  if (outOfStock) return { outcome: "out_of_stock", reason: null, detail: errorOf(outOfStock).message ?? null };
  const failed = steps.find((s) => s.status === "failed");
  if (failed) return { outcome: "failed", reason: `${failed.step_id.startsWith("turn-") ? failed.operation : failed.step_id}: ${errorOf(failed).code ?? "FAILED"}`, detail: errorOf(failed).message ?? null };
  return { outcome: "failed", reason: fallback?.reason ?? "no order was confirmed", detail: fallback?.detail ?? null };
}

/** The msa baseline: the hard-coded workflow against the agent services. */
export async function orderWithoutLlm(agents: Record<ServiceName, string>, requestId: string, order: { sku: string; quantity: number }, settings?: MsaSettings): Promise<MeasuredRequest> {
  const started = performance.now();
  let run;
  try {
    run = await placeOrderWithoutLlm(agents, requestId, order, settings);
  } catch (error) {
    return failure(requestId, performance.now() - started, "CLIENT_ERROR", error);
  }
  const latency = performance.now() - started;
  const steps = run.steps.map((s) => ({ step_id: s.stepId, operation: s.operation, status: s.status, attempts: s.attempts, result: s.result, error: s.error }));
  return {
    request_id: requestId,
    latency_ms: latency,
    ...classify(steps, null),
    ...noLlm,
    steps: steps.length,
    retries: steps.reduce((sum, s) => sum + Math.max(0, s.attempts - 1), 0),
    compensations: run.compensations.length,
  };
}

/** The answer of one `POST /orchestrate`: the HTTP status and body, or the client-side error. */
export type OrchestrateAnswer = { latencyMs: number; status: number; body: unknown } | { latencyMs: number; error: unknown };

/** Sends one request to `POST /orchestrate` (mode plan or react) and waits for the whole workflow. */
export async function postOrchestrate(orchestratorUrl: string, requestId: string, userRequest: string, mode: "plan" | "react", timeoutSeconds: number): Promise<OrchestrateAnswer> {
  const started = performance.now();
  try {
    const response = await fetch(`${orchestratorUrl}/orchestrate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ request_id: requestId, user_request: userRequest, ...(mode === "react" ? { mode: "react" } : {}) }),
      signal: AbortSignal.timeout(timeoutSeconds * 1000),
    });
    const body = (await response.json()) as unknown;
    return { latencyMs: performance.now() - started, status: response.status, body };
  } catch (error) {
    return { latencyMs: performance.now() - started, error };
  }
}

/** The orchestrator modes: one order through `POST /orchestrate`, classified. */
export async function orderThroughOrchestrator(
  orchestratorUrl: string,
  requestId: string,
  userRequest: string,
  mode: Exclude<ExperimentMode, "msa">,
  timeoutSeconds: number,
): Promise<MeasuredRequest> {
  const answer = await postOrchestrate(orchestratorUrl, requestId, userRequest, mode === "react" ? "react" : "plan", timeoutSeconds);
  if ("error" in answer) {
    const { error } = answer;
    return failure(requestId, answer.latencyMs, error instanceof Error && error.name === "TimeoutError" ? "CLIENT_TIMEOUT" : "CLIENT_ERROR", error);
  }
  const { status, body, latencyMs: latency } = answer;
  if (status !== 200) {
    const error = (body as { error?: { code?: string; message?: string; details?: { llm_usage?: { calls: number; total_tokens: number } } } }).error;
    const usage = error?.details?.llm_usage;
    return {
      request_id: requestId,
      latency_ms: latency,
      outcome: "failed",
      reason: `orchestrator: ${error?.code ?? `HTTP ${status}`}`,
      detail: error?.message ?? null,
      ...noLlm,
      llm_calls: usage?.calls ?? 0,
      total_tokens: usage?.total_tokens ?? 0,
      steps: 0,
      retries: 0,
      compensations: 0,
    };
  }
  const response = body as OrchestratorResponse;
  const steps = response.execution_results as StepLike[];
  const compensations = Array.isArray(response.compensations) ? response.compensations.length : 0;
  return {
    request_id: requestId,
    latency_ms: latency,
    ...classify(steps, { reason: response.error ? "workflow failed" : "no order was confirmed", detail: response.error ?? response.final_result.split("\n").at(-1) ?? "" }),
    llm_calls: response.llm_usage.calls,
    prompt_tokens: response.llm_usage.prompt_tokens,
    completion_tokens: response.llm_usage.completion_tokens,
    total_tokens: response.llm_usage.total_tokens,
    steps: steps.filter((s) => s.status === "succeeded" || s.status === "failed").length,
    retries: steps.reduce((sum, s) => sum + Math.max(0, (s.attempts ?? 0) - 1), 0),
    compensations,
  };
}

function failure(requestId: string, latency: number, code: string, error: unknown): MeasuredRequest {
  return {
    request_id: requestId,
    latency_ms: latency,
    outcome: "failed",
    reason: `client: ${code}`,
    detail: error instanceof Error ? error.message : String(error),
    ...noLlm,
    steps: 0,
    retries: 0,
    compensations: 0,
  };
}
