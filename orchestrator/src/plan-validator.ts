import type { ServiceCapabilities, OperationCapability } from "./capabilities.js";
import { findReferences, workflowPlanSchema, type ExecutionStep, type WorkflowPlan } from "./plan-schema.js";
import { SchemaChecker } from "./schema-checker.js";

export interface PlanProblem {
  /** Where in the plan, e.g. `execution_steps[2].parameters.quantity`. */
  path: string;
  message: string;
}

export interface PlanLimits {
  maxSteps: number;
  maxTimeoutSeconds: number;
  maxRetryAttempts: number;
}

export const defaultPlanLimits: PlanLimits = { maxSteps: 20, maxTimeoutSeconds: 120, maxRetryAttempts: 5 };

export type PlanValidation = { valid: true; plan: WorkflowPlan; problems: [] } | { valid: false; problems: PlanProblem[] };

const checker = new SchemaChecker();

function stepPath(index: number, rest?: string): string {
  return `execution_steps[${index}]${rest ? `.${rest}` : ""}`;
}

/** Finds an operation's capability among the healthy services. */
export function findOperation(
  capabilities: ServiceCapabilities[],
  service: string,
  operation: string,
): OperationCapability | undefined {
  return capabilities.find((c) => c.service_name === service)?.operations.find((o) => o.name === operation);
}

/**
 * Checks a plan against every invariant before anything runs: shape, healthy services and
 * operations, parameters against input schemas, references, an acyclic graph, limits, and
 * that orders are only created against a reservation made in the same plan. Collects all
 * problems rather than stopping at the first, so a model can repair them in one go.
 */
export function validatePlan(
  candidate: unknown,
  capabilities: ServiceCapabilities[],
  options: { unhealthyServices?: string[]; limits?: PlanLimits } = {},
): PlanValidation {
  const limits = options.limits ?? defaultPlanLimits;
  const shape = workflowPlanSchema.safeParse(candidate);
  if (!shape.success) {
    return {
      valid: false,
      problems: shape.error.issues.map((issue) => ({
        path: issue.path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("").replace(/^\./, "").replace(/\.\[/g, "["),
        message: issue.message,
      })),
    };
  }
  const plan = shape.data;
  const problems: PlanProblem[] = [];
  const steps = plan.execution_steps;
  const byId = new Map<string, ExecutionStep>();

  if (steps.length > limits.maxSteps) {
    problems.push({ path: "execution_steps", message: `has ${steps.length} steps; at most ${limits.maxSteps} are allowed` });
  }

  steps.forEach((step, index) => {
    if (byId.has(step.step_id)) problems.push({ path: stepPath(index, "step_id"), message: `duplicate step_id "${step.step_id}"` });
    byId.set(step.step_id, step);
  });

  steps.forEach((step, index) => {
    const service = capabilities.find((c) => c.service_name === step.service_name);
    if (!service) {
      const why = options.unhealthyServices?.includes(step.service_name)
        ? `service "${step.service_name}" is not healthy right now`
        : `unknown service "${step.service_name}"; known services: ${capabilities.map((c) => c.service_name).join(", ")}`;
      problems.push({ path: stepPath(index, "service_name"), message: why });
    }
    const operation = service?.operations.find((o) => o.name === step.operation);
    if (service && !operation) {
      problems.push({
        path: stepPath(index, "operation"),
        message: `service "${step.service_name}" has no operation "${step.operation}"; it offers: ${service.operations.map((o) => o.name).join(", ")}`,
      });
    }
    if (step.timeout_seconds > limits.maxTimeoutSeconds) {
      problems.push({ path: stepPath(index, "timeout_seconds"), message: `must be at most ${limits.maxTimeoutSeconds}` });
    }
    if (step.retry_attempts > limits.maxRetryAttempts) {
      problems.push({ path: stepPath(index, "retry_attempts"), message: `must be at most ${limits.maxRetryAttempts}` });
    }
    if ("idempotency_key" in step.parameters) {
      problems.push({
        path: stepPath(index, "parameters.idempotency_key"),
        message: "must not be set by the plan; the executor derives it from the workflow and step",
      });
    }

    step.dependencies.forEach((dependency, d) => {
      if (dependency === step.step_id) problems.push({ path: stepPath(index, `dependencies[${d}]`), message: "a step cannot depend on itself" });
      else if (!byId.has(dependency)) problems.push({ path: stepPath(index, `dependencies[${d}]`), message: `unknown step "${dependency}"` });
    });

    const referenced = new Set<string>();
    for (const found of findReferences(step.parameters)) {
      const where = stepPath(index, `parameters.${found.at.join(".")}`);
      if (!found.reference) {
        problems.push({ path: where, message: `"${found.raw}" is not a reference; use exactly "{{steps.<step_id>.result.<path>}}" as the whole value` });
        continue;
      }
      const target = byId.get(found.reference.stepId);
      if (!target) {
        problems.push({ path: where, message: `references unknown step "${found.reference.stepId}"` });
        continue;
      }
      if (!isTransitiveDependency(step, found.reference.stepId, byId)) {
        problems.push({
          path: where,
          message: `references step "${found.reference.stepId}", which is not among this step's (transitive) dependencies; add it to dependencies`,
        });
      }
      referenced.add(found.at[0] ?? "");
    }

    if (operation) {
      // Referenced values are only known at run time: drop them before checking the schema,
      // and forgive only the "required" complaint their absence causes.
      const literal = Object.fromEntries(Object.entries(step.parameters).filter(([key]) => !referenced.has(key)));
      for (const problem of checker.check(operation.input_schema, literal)) {
        if (problem.message === "is required" && referenced.has(problem.path)) continue;
        problems.push({ path: stepPath(index, `parameters${problem.path ? `.${problem.path}` : ""}`), message: problem.message });
      }
    }
  });

  const cycle = findCycle(steps);
  if (cycle) problems.push({ path: "execution_steps", message: `dependencies form a cycle: ${cycle.join(" -> ")}` });

  problems.push(...checkOrdersHaveReservations(steps, byId));

  return problems.length === 0 ? { valid: true, plan, problems: [] } : { valid: false, problems };
}

function isTransitiveDependency(step: ExecutionStep, targetId: string, byId: Map<string, ExecutionStep>): boolean {
  const seen = new Set<string>();
  const stack = [...step.dependencies];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === targetId) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(byId.get(id)?.dependencies ?? []));
  }
  return false;
}

/** Returns the step ids of one cycle, closed (a -> b -> a), or undefined for a DAG. */
function findCycle(steps: ExecutionStep[]): string[] | undefined {
  const byId = new Map(steps.map((s) => [s.step_id, s]));
  const state = new Map<string, "visiting" | "done">();
  const trail: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === "done") return undefined;
    if (state.get(id) === "visiting") return [...trail.slice(trail.indexOf(id)), id];
    state.set(id, "visiting");
    trail.push(id);
    for (const dependency of byId.get(id)?.dependencies ?? []) {
      if (!byId.has(dependency)) continue;
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(id, "done");
    return undefined;
  };
  for (const step of steps) {
    const cycle = visit(step.step_id);
    if (cycle) return cycle.reverse();
  }
  return undefined;
}

/** No plan, however wrong, can sell stock it did not reserve in the same workflow. */
function checkOrdersHaveReservations(steps: ExecutionStep[], byId: Map<string, ExecutionStep>): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const usedReservations = new Map<string, number>();
  steps.forEach((step, index) => {
    if (step.service_name !== "order" || step.operation !== "create_order") return;
    const value = step.parameters.reservation_id;
    const reference = findReferences({ reservation_id: value })[0]?.reference;
    const source = reference ? byId.get(reference.stepId) : undefined;
    if (!reference || !source || source.service_name !== "inventory" || source.operation !== "reserve_stock" || reference.path.join(".") !== "reservation_id") {
      problems.push({
        path: stepPath(index, "parameters.reservation_id"),
        message: 'an order must use the reservation of a reserve_stock step in this plan: "{{steps.<reserve_step_id>.result.reservation_id}}"',
      });
      return;
    }
    const earlier = usedReservations.get(source.step_id);
    if (earlier !== undefined) {
      problems.push({ path: stepPath(index, "parameters.reservation_id"), message: `the reservation of step "${source.step_id}" already backs step ${earlier}'s order` });
    }
    usedReservations.set(source.step_id, index);
    for (const field of ["sku", "quantity"] as const) {
      const ordered = step.parameters[field];
      const reserved = source.parameters[field];
      if (ordered !== undefined && reserved !== undefined && findReferences({ v: ordered }).length === 0 && JSON.stringify(ordered) !== JSON.stringify(reserved)) {
        problems.push({
          path: stepPath(index, `parameters.${field}`),
          message: `is ${JSON.stringify(ordered)} but the reservation in step "${source.step_id}" is for ${JSON.stringify(reserved)}`,
        });
      }
    }
  });
  return problems;
}
