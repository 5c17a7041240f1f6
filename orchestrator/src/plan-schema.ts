import { z } from "zod";

/** `"{{steps.<step_id>.result.<dot.path>}}"`: the whole parameter value takes that step's output value. */
export const STEP_REFERENCE = /^\{\{\s*steps\.([A-Za-z0-9_-]+)\.result(?:\.([A-Za-z0-9_.[\]-]+))?\s*\}\}$/;

export const failurePolicies = ["retry", "skip", "abort"] as const;
export type FailurePolicy = (typeof failurePolicies)[number];

export const executionStepSchema = z.object({
  step_id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "step_id: 1-64 letters, digits, _ or -"),
  step_order: z.number().int().min(1),
  service_name: z.string().min(1),
  operation: z.string().min(1),
  parameters: z.record(z.string(), z.unknown()),
  validation_checks: z.array(z.string()),
  dependencies: z.array(z.string()),
  parallel_group: z.string().nullable(),
  failure_handling: z.enum(failurePolicies),
  timeout_seconds: z.number().positive(),
  retry_attempts: z.number().int().min(0),
});
export type ExecutionStep = z.infer<typeof executionStepSchema>;

export const workflowPlanSchema = z.object({
  plan_id: z.string().min(1),
  risk_level: z.enum(["low", "medium", "high"]),
  estimated_duration_seconds: z.number().nonnegative(),
  execution_steps: z.array(executionStepSchema).min(1),
  validation_summary: z.string(),
  service_dependencies: z.array(z.string()),
});
export type WorkflowPlan = z.infer<typeof workflowPlanSchema>;

/** What planners return and the LLM is asked to produce. */
export const planEnvelopeSchema = z.object({ workflow_plan: workflowPlanSchema });
export type PlanEnvelope = z.infer<typeof planEnvelopeSchema>;

/** JSON Schema for structured output, derived from the very schema the validator enforces. */
export function planJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(planEnvelopeSchema, { target: "draft-7" }) as Record<string, unknown>;
}

export interface StepReference {
  stepId: string;
  path: string[];
}

export function parseStepReference(value: unknown): StepReference | undefined {
  if (typeof value !== "string") return undefined;
  const match = STEP_REFERENCE.exec(value);
  if (!match) return undefined;
  const path = (match[2] ?? "")
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter(Boolean);
  return { stepId: match[1]!, path };
}

export interface FoundReference {
  /** Location of the value inside the parameters. */
  at: string[];
  raw: string;
  /** Undefined when the string uses `{{` but is not one whole, well-formed reference. */
  reference: StepReference | undefined;
}

/** Every reference-like string in a parameter tree, with where it sits. */
export function findReferences(parameters: unknown, at: string[] = []): FoundReference[] {
  if (typeof parameters === "string") {
    if (!parameters.includes("{{")) return [];
    return [{ at, raw: parameters, reference: parseStepReference(parameters) }];
  }
  if (Array.isArray(parameters)) return parameters.flatMap((item, index) => findReferences(item, [...at, String(index)]));
  if (parameters && typeof parameters === "object") {
    return Object.entries(parameters).flatMap(([key, value]) => findReferences(value, [...at, key]));
  }
  return [];
}
