import { afterEach, describe, expect, test } from "vitest";
import { RulePlanner, type ChatRequest, type WorkflowPlan } from "../src/index.js";
import { startFakeLlm } from "./support/fake-llm.js";
import { post, startInProcessStack, type InProcessStack } from "./support/in-process-stack.js";

let stack: InProcessStack | undefined;
let llm: Awaited<ReturnType<typeof startFakeLlm>> | undefined;
afterEach(async () => {
  await stack?.close();
  await llm?.close();
  stack = undefined;
  llm = undefined;
});

async function correctPlan(request = "Place an order for 2 laptops"): Promise<WorkflowPlan> {
  return (await new RulePlanner().propose({ requestId: "t", userRequest: request, capabilities: [] })).candidate as WorkflowPlan;
}

type Breaker = (plan: WorkflowPlan) => void;
const step = (plan: WorkflowPlan, id: string) => plan.execution_steps.find((s) => s.step_id === id)!;

const brokenPlans: Array<[string, Breaker, RegExp]> = [
  ["an unknown operation", (p) => void (step(p, "reserve_stock").operation = "reserve_inventory"), /no operation "reserve_inventory"/],
  ["bad parameters", (p) => void (step(p, "reserve_stock").parameters.quantity = -2), /parameters\.quantity/],
  ["a cycle", (p) => void step(p, "check_stock").dependencies.push("confirm_order"), /cycle/],
  ["a dangling reference", (p) => void (step(p, "commit_reservation").parameters.reservation_id = "{{steps.nowhere.result.reservation_id}}"), /unknown step "nowhere"/],
  ["an order without a reservation", (p) => void (step(p, "create_order").parameters.reservation_id = "res_made_up"), /an order must use the reservation of a reserve_stock step/],
];

async function start(respond: (request: ChatRequest, call: number) => unknown) {
  llm = await startFakeLlm(respond);
  stack = await startInProcessStack({ OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: llm.baseURL, LLM_MODEL: "fake-planner", PLAN_REPAIR_ATTEMPTS: "2" });
  return stack;
}

function nothingHappened(s: InProcessStack) {
  expect(s.query("inventory", "SELECT available, reserved, sold FROM items WHERE sku = 'laptop'")).toEqual([{ available: 10, reserved: 0, sold: 0 }]);
  expect(s.query("inventory", "SELECT * FROM reservations")).toEqual([]);
  expect(s.query("order", "SELECT * FROM orders")).toEqual([]);
}

describe("LLM planner through the real openai SDK", () => {
  test("a valid plan runs; the prompt carries the capabilities and rules; the schema is the validator's", async () => {
    const plan = await correctPlan();
    const s = await start(() => ({ workflow_plan: plan }));
    const { status, body } = await post(s, "/orchestrate", { user_request: "Place an order for 2 laptops" });
    expect(status).toBe(200);
    expect(body.success).toBe(true);
    expect(body.llm_usage.calls).toBe(1);
    expect(body.llm_usage.prompt_tokens).toBeGreaterThan(0);
    const request = llm!.requests[0]!;
    expect(request.model).toBe("fake-planner");
    expect(request.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "workflow_plan" } });
    expect(JSON.stringify(request.response_format?.json_schema?.schema)).toContain("failure_handling");
    const system = String(request.messages[0]!.content);
    expect(system).toContain("reserve_stock");
    expect(system).toContain("Reserve before ordering");
    expect(s.query("order", "SELECT status FROM orders")).toEqual([{ status: "confirmed" }]);
  });

  test.each(brokenPlans)("a plan with %s is repaired when the model corrects it", async (_label, breakIt, problem) => {
    const good = await correctPlan();
    const bad = structuredClone(good);
    breakIt(bad);
    const s = await start((_request, call) => ({ workflow_plan: call === 1 ? bad : good }));
    const { body } = await post(s, "/orchestrate", { user_request: "Place an order for 2 laptops" });
    expect(body.success).toBe(true);
    expect(body.llm_usage.calls).toBe(2);
    const repairRequest = llm!.requests[1]!;
    const feedback = String(repairRequest.messages.at(-1)!.content);
    expect(feedback).toContain("failed validation");
    expect(feedback).toMatch(problem);
  });

  test.each(brokenPlans)("a plan with %s that stays wrong is rejected with 422 and nothing runs", async (_label, breakIt, problem) => {
    const bad = await correctPlan();
    breakIt(bad);
    const s = await start(() => ({ workflow_plan: bad }));
    const { status, body } = await post(s, "/orchestrate", { request_id: "bad-plan", user_request: "Place an order for 2 laptops" });
    expect(status).toBe(422);
    expect(body.error.code).toBe("INVALID_PLAN");
    expect(body.error.details.problems.map((p: { path: string; message: string }) => `${p.path}: ${p.message}`).join("\n")).toMatch(problem);
    expect(llm!.requests).toHaveLength(3);
    nothingHappened(s);
    const stored = await s.orchestrator.app.request("/workflow/bad-plan");
    expect(((await stored.json()) as { status: string }).status).toBe("rejected");
  });

  test("an answer that is not JSON is sent back for repair", async () => {
    const good = await correctPlan();
    const s = await start((_request, call) => (call === 1 ? "Sure! Here is your plan: step one, reserve..." : { workflow_plan: good }));
    const { body } = await post(s, "/orchestrate", { user_request: "Place an order for 2 laptops" });
    expect(body.success).toBe(true);
    expect(body.llm_usage.calls).toBe(2);
  });

  test("an unreachable model fails planning with 422 and a reason, and nothing runs", async () => {
    stack = await startInProcessStack({ OPENAI_API_KEY: "k", OPENAI_BASE_URL: "http://127.0.0.1:9/v1", LLM_MAX_RETRIES: "0", LLM_TIMEOUT_MS: "2000" });
    const { status, body } = await post(stack, "/orchestrate", { user_request: "Place an order for 2 laptops" });
    expect(status).toBe(422);
    expect(body.error.message).toMatch(/planner failed/);
    nothingHappened(stack);
  });
});

describe("ReAct mode", () => {
  test("completes the retail story one action at a time and persists every turn", async () => {
    llm = await startFakeLlm();
    stack = await startInProcessStack({ OPENAI_API_KEY: "k", OPENAI_BASE_URL: llm.baseURL });
    const { body } = await post(stack, "/orchestrate", { request_id: "react-1", mode: "react", user_request: "Place an order for 2 laptops" });
    expect(body.success).toBe(true);
    expect(body.llm_usage.calls).toBe(6);
    expect(stack.query("inventory", "SELECT available, reserved, sold FROM items WHERE sku = 'laptop'")).toEqual([{ available: 8, reserved: 0, sold: 2 }]);
    expect(stack.query("order", "SELECT status FROM orders")).toEqual([{ status: "confirmed" }]);
    const view = (await (await stack.orchestrator.app.request("/workflow/react-1")).json()) as { react_turns: Array<{ action: string }> };
    expect(view.react_turns.map((t) => t.action)).toEqual([
      "inventory.check_inventory",
      "inventory.reserve_stock",
      "order.create_order",
      "inventory.commit_reservation",
      "order.update_order_status",
      "final_answer",
    ]);
  });

  test("when the model gives up after reserving, the workflow fails and the reservation is released", async () => {
    llm = await startFakeLlm((request) => {
      const turns = request.messages.filter((m) => m.role === "assistant").length;
      if (turns === 0) return { thought: "Hold the stock first.", action: "inventory.reserve_stock", args: { sku: "laptop", quantity: 2 } };
      return { thought: "The customer changed their mind.", action: "final_answer", args: { answer: "Order abandoned", success: false } };
    });
    stack = await startInProcessStack({ OPENAI_API_KEY: "k", OPENAI_BASE_URL: llm.baseURL });
    const { body } = await post(stack, "/orchestrate", { mode: "react", user_request: "Place an order for 2 laptops" });
    expect(body.success).toBe(false);
    expect(body.error).toContain("Order abandoned");
    expect(body.compensations).toEqual([expect.objectContaining({ operation: "release_reservation", success: true })]);
    expect(stack.query("inventory", "SELECT status FROM reservations")).toEqual([{ status: "released" }]);
    expect(stack.query("inventory", "SELECT available, reserved FROM items WHERE sku = 'laptop'")).toEqual([{ available: 10, reserved: 0 }]);
  });

  test("without an LLM configured, ReAct mode is refused with 422", async () => {
    stack = await startInProcessStack();
    const { status, body } = await post(stack, "/orchestrate", { mode: "react", user_request: "Place an order for 2 laptops" });
    expect(status).toBe(422);
    expect(body.error.code).toBe("REACT_NEEDS_LLM");
  });
});
