import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { z } from "zod";
import { describeCapabilities } from "./capability-prompt.js";
import type { ServiceCapabilities, ServiceDirectory } from "./capabilities.js";
import { executeCompensation } from "./executor.js";
import type { LlmClient } from "./llm-client.js";
import { findOperation } from "./plan-validator.js";
import { withContext } from "./planner/llm-planner.js";
import { addUsage, noUsage, type LlmUsage } from "./planner/planner.js";
import { SchemaChecker } from "./schema-checker.js";
import type { WorkflowStore } from "./workflow-store.js";

/** How the model ends the loop: `{"action": "final_answer", "args": {"answer": "...", "success": true}}`. */
export const reactActionSchema = z.object({
  thought: z.string().optional(),
  action: z.string().min(1),
  args: z.record(z.string(), z.unknown()),
});

export interface ReactOutcome {
  success: boolean;
  answer: string;
  turns: number;
  usage: LlmUsage;
  error?: string;
  compensations: Array<{ for_step: string; service_name: string; operation: string; success: boolean; attempts: number; error?: string }>;
}

const checker = new SchemaChecker();

/**
 * The iterative mode: each turn the model sees the history and picks one action
 * (`<service>.<operation>` or `final_answer`), which runs through the same agent services
 * and idempotency keys as plans do; the history is persisted after every turn.
 */
export async function runReactLoop(input: {
  workflowId: string;
  userRequest: string;
  context?: Record<string, unknown> | undefined;
  capabilities: ServiceCapabilities[];
  directory: ServiceDirectory;
  store: WorkflowStore;
  llm: LlmClient;
  maxTurns: number;
  stepTimeoutSeconds: number;
}): Promise<ReactOutcome> {
  const { workflowId, store, directory, capabilities } = input;
  const messages: ChatCompletionMessageParam[] = [
    {
      role: "system",
      content: `You are Switchyard's operations agent. Fulfil the user's request one action at a time.
Each turn answer with JSON only: {"thought": "...", "action": "<service>.<operation>", "args": {...}}; when done answer {"thought": "...", "action": "final_answer", "args": {"answer": "<what was done>", "success": true}}, with "success": false when the request could not be fulfilled (what was reserved is then released for you).
Rules: read before you mutate; reserve stock (inventory.reserve_stock) before creating an order and pass its reservation_id; commit the reservation and confirm the order afterwards; never set idempotency_key.

Available operations:
${describeCapabilities(capabilities)}`,
    },
    { role: "user", content: withContext(input.userRequest, input.context) },
  ];
  const schema = z.toJSONSchema(reactActionSchema, { target: "draft-7" }) as Record<string, unknown>;
  let usage = noUsage();
  const reservations = new Set<string>();
  const compensable: Array<{ stepId: string; service: string; compensation: string; parameters: Record<string, unknown> }> = [];

  for (let turn = 1; turn <= input.maxTurns; turn += 1) {
    const completion = await input.llm.completeJson(messages, "react_action", schema);
    usage = addUsage(usage, completion.usage);
    store.setUsage(workflowId, usage);
    messages.push({ role: "assistant", content: completion.content });

    const parsed = reactActionSchema.safeParse(completion.json);
    if (!parsed.success) {
      const observation = { success: false, error: `Your answer was not a valid action: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}` };
      store.recordTurn(workflowId, { turn, action: "invalid", args: completion.content.slice(0, 500), observation });
      messages.push({ role: "user", content: `Observation: ${JSON.stringify(observation)}` });
      continue;
    }
    const { action, args } = parsed.data;
    if (action === "final_answer") {
      const answer = typeof args.answer === "string" ? args.answer : JSON.stringify(args);
      store.recordTurn(workflowId, { turn, action, args, observation: null });
      if (args.success !== false) return { success: true, answer, turns: turn, usage, compensations: [] };
      // The model gave up: nothing it reserved or created may stay behind.
      return { success: false, answer, turns: turn, usage, error: `the model could not fulfil the request: ${answer}`, compensations: await compensate() };
    }

    const observation = await act(turn, action, args);
    store.recordTurn(workflowId, { turn, action, args, observation });
    messages.push({ role: "user", content: `Observation: ${JSON.stringify(observation)}` });
  }

  // No final answer within the budget: give back whatever this run reserved.
  return { success: false, answer: "", turns: input.maxTurns, usage, error: `no final answer within ${input.maxTurns} turns`, compensations: await compensate() };

  async function compensate() {
    const done = [];
    for (const [index, entry] of [...compensable].reverse().entries()) {
      const request = {
        request_id: `${workflowId}:compensate-${index}`,
        operation: entry.compensation,
        parameters: entry.parameters,
        context: { workflow_id: workflowId, idempotency_key: `${workflowId}:${entry.stepId}:compensate` },
        timeout: input.stepTimeoutSeconds,
      };
      const outcome = await executeCompensation(directory, entry.service, request, input.stepTimeoutSeconds);
      const item = { for_step: entry.stepId, service_name: entry.service, operation: entry.compensation, ...outcome };
      done.push(item);
      store.appendEvent(workflowId, "compensation", entry.stepId, item);
    }
    return done;
  }

  async function act(turn: number, action: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const [service, operationName] = action.split(".", 2);
    const operation = service && operationName ? findOperation(capabilities, service, operationName) : undefined;
    if (!service || !operationName || !operation) {
      return { success: false, error: `Unknown action "${action}". Use "<service>.<operation>" from the list, or "final_answer".` };
    }
    if ("idempotency_key" in args) return { success: false, error: "Do not set idempotency_key; it is added for you." };
    const problems = checker.check(operation.input_schema, args);
    if (problems.length > 0) return { success: false, error: `Invalid args: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}` };
    // The same guarantee plans have: an order only against a reservation made in this workflow.
    if (service === "order" && operationName === "create_order" && !reservations.has(String(args.reservation_id))) {
      return { success: false, error: "create_order needs a reservation_id returned by inventory.reserve_stock in this conversation." };
    }
    const stepId = `turn-${turn}`;
    const startedAt = new Date();
    store.addStep(workflowId, { stepId, stepOrder: turn, serviceName: service, operation: operationName, parameters: args });
    store.updateStep(workflowId, stepId, { status: "running", startedAt, attempts: 1 }, "step_running");
    const context = { workflow_id: workflowId, step_id: stepId, ...(operation.annotations.read_only ? {} : { idempotency_key: `${workflowId}:${stepId}` }) };
    try {
      const response = await directory.execute(
        service,
        { request_id: `${workflowId}:${stepId}`, operation: operationName, parameters: args, context, timeout: input.stepTimeoutSeconds },
        AbortSignal.timeout(input.stepTimeoutSeconds * 1000),
      );
      store.updateStep(
        workflowId,
        stepId,
        { status: response.success ? "succeeded" : "failed", result: response.result ?? null, error: response.error ?? null, finishedAt: new Date() },
        response.success ? "step_succeeded" : "step_failed",
      );
      if (response.success) {
        const result = response.result as Record<string, unknown>;
        if (operationName === "reserve_stock" && typeof result?.reservation_id === "string") reservations.add(result.reservation_id);
        if (operation.compensation) {
          const compensationOp = findOperation(capabilities, service, operation.compensation);
          const required = (compensationOp?.input_schema.required as string[] | undefined) ?? [];
          compensable.push({ stepId, service, compensation: operation.compensation, parameters: Object.fromEntries(required.map((k) => [k, result?.[k] ?? args[k]])) });
        }
        return { success: true, result: response.result };
      }
      return { success: false, error: response.error?.message ?? "failed" };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      store.updateStep(workflowId, stepId, { status: "failed", error: { code: "SERVICE_UNAVAILABLE", message, retryable: true }, finishedAt: new Date() }, "step_failed");
      return { success: false, error: message };
    }
  }
}
