import type { CompensationOutcome, StepOutcome } from "./executor.js";
import type { WorkflowPlan } from "./plan-schema.js";

const marks: Record<string, string> = { succeeded: "✅", failed: "❌", skipped: "⏭️", running: "⏳", pending: "⏸️" };

function summarise(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return "";
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** The execution summary people read: request, plan, progress n/m, each step with its mark, validation summary. */
export function formatExecutionSummary(input: {
  userRequest: string;
  plan: WorkflowPlan;
  steps: StepOutcome[];
  compensations: CompensationOutcome[];
  success: boolean;
  executionSeconds: number;
}): string {
  const done = input.steps.filter((s) => s.status === "succeeded").length;
  const lines = [
    `Execution summary: ${input.success ? "completed" : "failed"}`,
    `Request: ${input.userRequest}`,
    `Plan: ${input.plan.plan_id} (risk ${input.plan.risk_level}, ${input.plan.execution_steps.length} steps)`,
    `Progress: ${done}/${input.steps.length} steps succeeded in ${input.executionSeconds.toFixed(3)} s`,
    "",
    "Steps:",
  ];
  const byId = new Map(input.plan.execution_steps.map((s) => [s.step_id, s]));
  for (const step of input.steps) {
    const planned = byId.get(step.step_id);
    const timing = step.duration_ms !== null ? ` (${step.duration_ms} ms${step.attempts > 1 ? `, ${step.attempts} attempts` : ""})` : "";
    const head = `  ${marks[step.status] ?? "•"} ${planned?.step_order ?? "?"}. ${step.step_id}: ${step.service_name}.${step.operation}${timing}`;
    const detail = step.status === "succeeded" ? summarise(step.result) : step.error ? `${step.error.code}: ${step.error.message}` : "";
    lines.push(detail ? `${head}\n       ${detail}` : head);
  }
  if (input.compensations.length > 0) {
    lines.push("", "Compensations:");
    for (const c of input.compensations) {
      lines.push(`  ${c.success ? "↩️" : "⚠️"} ${c.service_name}.${c.operation} for ${c.for_step}${c.error ? `: ${c.error}` : ""}`);
    }
  }
  lines.push("", `Validation: ${input.plan.validation_summary}`);
  return lines.join("\n");
}
