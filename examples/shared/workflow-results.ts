import type { WorkflowView } from "@switchyard/orchestrator";

/** The result of one step of a finished workflow, or undefined when it has none. */
export function stepResult<T>(workflow: WorkflowView, stepId: string): T | undefined {
  const step = workflow.steps.find((s) => s.step_id === stepId);
  return step?.status === "succeeded" ? (step.result as T) : undefined;
}

/** The first step error message of a workflow, else its own error. */
export function failureOf(workflow: WorkflowView): string {
  const failed = workflow.steps.find((s) => s.status === "failed");
  const message = (failed?.error as { message?: string } | null | undefined)?.message;
  return message ?? workflow.error ?? `status ${workflow.status}`;
}
