import type { ServiceCapabilities } from "../capabilities.js";
import type { PlanProblem } from "../plan-validator.js";

export interface PlanningRequest {
  requestId: string;
  userRequest: string;
  capabilities: ServiceCapabilities[];
  /** The request's `context` (e.g. the customer), passed on to the planner as given. */
  context?: Record<string, unknown>;
  /** Set when the previous proposal failed validation: the model gets a chance to repair it. */
  feedback?: { previous: unknown; problems: PlanProblem[] };
}

export interface LlmUsage {
  calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface PlanProposal {
  /** The candidate `workflow_plan`, not yet validated. */
  candidate: unknown;
  usage: LlmUsage;
}

/** Turns a request into a candidate plan; validation and repair happen around it. */
export interface Planner {
  readonly kind: "rules" | "llm";
  /** Whether a second proposal can differ from the first (so repairing is worth a try). */
  readonly canRepair: boolean;
  propose(request: PlanningRequest): Promise<PlanProposal>;
}

/** The request cannot be turned into a plan; `problems` say why, `hint` what would work. */
export class PlanningError extends Error {
  override readonly name = "PlanningError";
  constructor(
    message: string,
    readonly problems: PlanProblem[],
    readonly usage: LlmUsage,
    readonly hint?: string[],
  ) {
    super(message);
  }
}

export function noUsage(): LlmUsage {
  return { calls: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
}

export function addUsage(a: LlmUsage, b: LlmUsage): LlmUsage {
  return {
    calls: a.calls + b.calls,
    prompt_tokens: a.prompt_tokens + b.prompt_tokens,
    completion_tokens: a.completion_tokens + b.completion_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
  };
}
