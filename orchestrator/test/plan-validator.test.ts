import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { RulePlanner, ruleExamples, validatePlan, type ServiceCapabilities, type WorkflowPlan } from "../src/index.js";
import { startInProcessStack, type InProcessStack } from "./support/in-process-stack.js";

let stack: InProcessStack;
let capabilities: ServiceCapabilities[];
beforeAll(async () => {
  stack = await startInProcessStack();
  capabilities = stack.registry.healthyCapabilities();
});
afterAll(async () => {
  await stack.close();
});

async function rulePlan(request: string): Promise<WorkflowPlan> {
  return (await new RulePlanner().propose({ requestId: "t", userRequest: request, capabilities })).candidate as WorkflowPlan;
}

function problemsOf(plan: unknown, options: Parameters<typeof validatePlan>[2] = {}) {
  const result = validatePlan(plan, capabilities, options);
  return result.valid ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

describe("plan validator", () => {
  test.each(ruleExamples)("the rule planner's plan for %j validates against the real capabilities", async (request) => {
    expect(problemsOf(await rulePlan(request))).toEqual([]);
  });

  test("collects every problem with its path instead of stopping at the first", async () => {
    const plan = await rulePlan("Place an order for 2 laptops");
    plan.execution_steps[0]!.service_name = "warehouse";
    plan.execution_steps[1]!.parameters.quantity = 0;
    plan.execution_steps[2]!.dependencies = ["ghost"];
    const problems = problemsOf(plan);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^execution_steps\[0\]\.service_name: unknown service "warehouse"; known services: /),
        expect.stringMatching(/^execution_steps\[1\]\.parameters\.quantity: /),
        'execution_steps[2].dependencies[0]: unknown step "ghost"',
      ]),
    );
  });

  test("a reference to a step that is not a transitive dependency is refused", async () => {
    const plan = await rulePlan("Place an order for 2 laptops");
    const commit = plan.execution_steps.find((s) => s.step_id === "commit_reservation")!;
    commit.dependencies = ["check_stock"];
    expect(problemsOf(plan)).toContain(
      'execution_steps[3].parameters.reservation_id: references step "reserve_stock", which is not among this step\'s (transitive) dependencies; add it to dependencies',
    );
  });

  test("idempotency keys, templated strings, duplicate ids and budgets are refused", async () => {
    const plan = await rulePlan("Place an order for 2 laptops");
    plan.execution_steps[1]!.parameters.idempotency_key = "mine";
    plan.execution_steps[2]!.parameters.customer = "Customer of {{steps.reserve_stock.result.reservation_id}}";
    plan.execution_steps[4]!.step_id = "check_stock";
    plan.execution_steps[0]!.timeout_seconds = 9_999;
    const problems = problemsOf(plan);
    expect(problems.some((p) => p.includes("parameters.idempotency_key: must not be set by the plan"))).toBe(true);
    expect(problems.some((p) => p.includes("parameters.customer") && p.includes("is not a reference"))).toBe(true);
    expect(problems.some((p) => p.includes('duplicate step_id "check_stock"'))).toBe(true);
    expect(problems.some((p) => p.includes("timeout_seconds: must be at most 120"))).toBe(true);
  });

  test("step count is limited", async () => {
    const plan = await rulePlan("Place an order for 2 laptops");
    expect(problemsOf(plan, { limits: { maxSteps: 3, maxTimeoutSeconds: 120, maxRetryAttempts: 5 } })).toContain("execution_steps: has 5 steps; at most 3 are allowed");
  });

  test("an order's sku and quantity must match its reservation, and one reservation backs one order", async () => {
    const plan = await rulePlan("Place an order for 2 laptops");
    const order = plan.execution_steps.find((s) => s.step_id === "create_order")!;
    order.parameters.quantity = 5;
    plan.execution_steps.push({ ...structuredClone(order), step_id: "second_order", step_order: 6, parameters: { ...order.parameters, quantity: 2 } });
    const problems = problemsOf(plan);
    expect(problems).toContain('execution_steps[2].parameters.quantity: is 5 but the reservation in step "reserve_stock" is for 2');
    expect(problems.some((p) => p.startsWith("execution_steps[5].parameters.reservation_id: the reservation of step \"reserve_stock\" already backs"))).toBe(true);
  });

  test("an unhealthy service is named as such", async () => {
    const plan = await rulePlan("Place an order for 2 laptops");
    const withoutOrder = capabilities.filter((c) => c.service_name !== "order");
    const result = validatePlan(plan, withoutOrder, { unhealthyServices: ["order"] });
    expect(result.valid).toBe(false);
    expect(result.valid ? [] : result.problems.map((p) => p.message)).toContain('service "order" is not healthy right now');
  });

  test("something that is not a plan at all gets shape errors", () => {
    expect(problemsOf({ steps: [] })).toEqual(expect.arrayContaining([expect.stringMatching(/^plan_id: /), expect.stringMatching(/^execution_steps: /)]));
  });
});

describe("rule planner", () => {
  test("parses quantities in words and plural item names", async () => {
    const plan = await rulePlan("Place an order for three monitors");
    expect(plan.execution_steps[1]!.parameters).toEqual({ sku: "monitor", quantity: 3 });
  });

  test("anything else is a PlanningError that lists what it can do", async () => {
    await expect(new RulePlanner().propose({ requestId: "t", userRequest: "Fly me to the moon", capabilities })).rejects.toMatchObject({
      name: "PlanningError",
      hint: ruleExamples,
    });
  });
});
