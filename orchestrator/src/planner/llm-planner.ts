import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { describeCapabilities } from "../capability-prompt.js";
import type { LlmClient } from "../llm-client.js";
import { planJsonSchema } from "../plan-schema.js";
import type { Planner, PlanningRequest, PlanProposal } from "./planner.js";

export const planningRules = `Planning rules:
1. Validate entities before mutating them: read the item, part or repair order first, and make mutations depend on those reads.
2. Reserve before ordering: an order (order.create_order) must use "{{steps.<reserve_step>.result.reservation_id}}" of an inventory.reserve_stock step in the same plan, with the same sku and quantity; then commit the reservation (inventory.commit_reservation) and confirm the order (order.update_order_status to "confirmed").
3. Parts must exist before a repair order uses them: check the part (parts.check_part_availability) before adding it to the repair order.
4. A payment needs the repair order number as its invoice_number.
5. Steps that do not depend on each other share a parallel_group and have no dependency between them, so they run at the same time.
6. Use a step's output as a parameter with the whole value "{{steps.<step_id>.result.<field>}}"; that step must be listed (directly or transitively) in dependencies.
7. failure_handling: "retry" (with retry_attempts 1-3) for calls that may fail transiently, "abort" when the rest makes no sense without the step, "skip" only for optional steps. timeout_seconds between 5 and 30.
8. Never set idempotency_key: the executor adds one to every mutating call.
9. validation_checks may hold checks of the form "result.<field> == <JSON value>" (also !=, >=, <=, >, <), enforced on the step's result; e.g. "result.sufficient == true".
10. Use only the services and operations listed below, with parameters that match their schemas.`;

/** The user's words plus the request's context, which the model should honour (e.g. the customer). */
export function withContext(userRequest: string, context: Record<string, unknown> | undefined): string {
  return context && Object.keys(context).length > 0 ? `${userRequest}\n\nContext: ${JSON.stringify(context)}` : userRequest;
}

/** Plans with one structured-output call to an OpenAI-compatible model. */
export class LlmPlanner implements Planner {
  readonly kind = "llm" as const;
  readonly canRepair = true;

  constructor(private readonly llm: LlmClient) {}

  buildMessages(request: PlanningRequest): ChatCompletionMessageParam[] {
    const system = `You are Switchyard's workflow planner. Turn the user's request into a JSON workflow plan that the executor runs as a DAG across these services.

${planningRules}

Available services and operations (parameter schemas; "?" marks optional):
${describeCapabilities(request.capabilities)}

Answer with JSON only: {"workflow_plan": {plan_id, risk_level: low|medium|high, estimated_duration_seconds, execution_steps: [{step_id, step_order, service_name, operation, parameters, validation_checks, dependencies, parallel_group (string or null), failure_handling, timeout_seconds, retry_attempts}], validation_summary, service_dependencies}}.`;
    const messages: ChatCompletionMessageParam[] = [
      { role: "system", content: system },
      { role: "user", content: withContext(request.userRequest, request.context) },
    ];
    if (request.feedback) {
      messages.push(
        { role: "assistant", content: JSON.stringify({ workflow_plan: request.feedback.previous }) },
        {
          role: "user",
          content: `That plan failed validation:\n${request.feedback.problems.map((p) => `- ${p.path || "(plan)"}: ${p.message}`).join("\n")}\nReturn a corrected plan as JSON.`,
        },
      );
    }
    return messages;
  }

  async propose(request: PlanningRequest): Promise<PlanProposal> {
    const completion = await this.llm.completeJson(this.buildMessages(request), "workflow_plan", planJsonSchema());
    const json = completion.json as { workflow_plan?: unknown } | undefined;
    // Accept a bare plan too: some models drop the envelope.
    const candidate = json && typeof json === "object" && "workflow_plan" in json ? json.workflow_plan : json;
    return { candidate: candidate ?? { unparseable_response: completion.content.slice(0, 500) }, usage: completion.usage };
  }
}
