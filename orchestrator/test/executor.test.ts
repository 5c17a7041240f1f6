import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { WorkflowExecutor, WorkflowStore, type ExecutionStep, type ServiceCapabilities, type WorkflowPlan } from "../src/index.js";
import { operation, ScriptedDirectory, sleep } from "./support/scripted-directory.js";

const capabilities: ServiceCapabilities[] = [
  {
    service_name: "svc",
    version: "1",
    description: "test service",
    operations: [
      operation("read", { readOnly: true }),
      operation("write"),
      operation("flaky"),
      operation("slow"),
      operation("hold", { compensation: "unhold", required: [] }),
      operation("unhold", { required: ["hold_id"] }),
    ],
  },
];

function step(step_id: string, op: string, extra: Partial<ExecutionStep> = {}): ExecutionStep {
  return {
    step_id,
    step_order: 1,
    service_name: "svc",
    operation: op,
    parameters: {},
    validation_checks: [],
    dependencies: [],
    parallel_group: null,
    failure_handling: "abort",
    timeout_seconds: 5,
    retry_attempts: 0,
    ...extra,
  };
}

function plan(steps: ExecutionStep[]): WorkflowPlan {
  return {
    plan_id: "plan_test",
    risk_level: "low",
    estimated_duration_seconds: 1,
    execution_steps: steps.map((s, i) => ({ ...s, step_order: i + 1 })),
    validation_summary: "test",
    service_dependencies: ["svc"],
  };
}

let store: WorkflowStore;
let counter = 0;

beforeEach(() => {
  store = new WorkflowStore(mkdtempSync(join(tmpdir(), "switchyard-executor-")));
});
afterEach(() => store.close());

async function run(directory: ScriptedDirectory, workflowPlan: WorkflowPlan) {
  const id = `wf-${++counter}`;
  store.create({ id, userRequest: "test", mode: "plan", planner: "rules" });
  store.setPlan(id, workflowPlan, { calls: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  const executor = new WorkflowExecutor(directory, store, { retryMinTimeoutMs: 5, retryMaxTimeoutMs: 20, compensationRetries: 3, compensationMaxTimeoutMs: 20 });
  const outcome = await executor.run(id, workflowPlan, capabilities);
  return { id, outcome, view: store.get(id)! };
}

describe("scheduling", () => {
  test("independent steps overlap in time and a dependent waits for both", async () => {
    const directory = new ScriptedDirectory(capabilities).on("svc", "slow", async () => {
      await sleep(150);
      return { success: true, result: { done: true } };
    });
    const { outcome } = await run(directory, plan([step("a", "slow"), step("b", "slow"), step("c", "read", { dependencies: ["a", "b"] })]));
    expect(outcome.success).toBe(true);
    const [a, b, c] = ["a", "b", "c"].map((id) => directory.calls.find((call) => call.request.request_id.endsWith(`:${id}`))!);
    expect(b!.startedAt).toBeLessThan(a!.finishedAt!);
    expect(a!.startedAt).toBeLessThan(b!.finishedAt!);
    expect(c!.startedAt).toBeGreaterThanOrEqual(Math.max(a!.finishedAt!, b!.finishedAt!));
  });

  test("a step starts when its own dependencies finish, not when its whole group does", async () => {
    const directory = new ScriptedDirectory(capabilities)
      .on("svc", "slow", async () => {
        await sleep(300);
        return { success: true, result: {} };
      })
      .on("svc", "read", async () => ({ success: true, result: {} }));
    await run(directory, plan([step("fast", "read", { parallel_group: "g" }), step("slow", "slow", { parallel_group: "g" }), step("after_fast", "write", { dependencies: ["fast"] })]));
    const slow = directory.calls.find((c) => c.request.request_id.endsWith(":slow"))!;
    const afterFast = directory.calls.find((c) => c.request.request_id.endsWith(":after_fast"))!;
    expect(afterFast.startedAt).toBeLessThan(slow.finishedAt!);
  });

  test("each step's outcome is persisted before its dependents start", async () => {
    const seen: string[] = [];
    const directory = new ScriptedDirectory(capabilities)
      .on("svc", "write", async () => ({ success: true, result: { value: 7 } }))
      .on("svc", "read", async (request) => {
        const id = request.request_id.split(":")[0]!;
        const first = store.get(id)!.steps.find((s) => s.step_id === "first")!;
        seen.push(`${first.status}:${JSON.stringify(first.result)}`);
        return { success: true, result: {} };
      });
    await run(directory, plan([step("first", "write"), step("second", "read", { dependencies: ["first"] })]));
    expect(seen).toEqual(['succeeded:{"value":7}']);
  });

  test("references are resolved with their types and mutating calls carry <request_id>:<step_id> keys", async () => {
    const directory = new ScriptedDirectory(capabilities).on("svc", "hold", async () => ({ success: true, result: { hold_id: "H1", count: 3, tags: ["x"] } }));
    const { id } = await run(
      directory,
      plan([
        step("h", "hold"),
        step("w", "write", { dependencies: ["h"], parameters: { id: "{{steps.h.result.hold_id}}", n: "{{steps.h.result.count}}", tag: "{{steps.h.result.tags.0}}" } }),
        step("r", "read", { dependencies: ["h"] }),
      ]),
    );
    const write = directory.calls.find((c) => c.request.operation === "write")!;
    expect(write.request.parameters).toEqual({ id: "H1", n: 3, tag: "x" });
    expect(write.request.context).toMatchObject({ idempotency_key: `${id}:w` });
    const read = directory.calls.find((c) => c.request.operation === "read")!;
    expect(read.request.context?.idempotency_key).toBeUndefined();
  });
});

describe("failure policies", () => {
  test("retry: a service failing twice with a retryable error succeeds on the third attempt with the same idempotency key", async () => {
    const directory = new ScriptedDirectory(capabilities).on("svc", "flaky", async (_request, attempt) =>
      attempt <= 2 ? { success: false, error: { code: "MCP_UNAVAILABLE", message: "down", retryable: true } } : { success: true, result: { ok: 1 } },
    );
    const { outcome, view } = await run(directory, plan([step("f", "flaky", { failure_handling: "retry", retry_attempts: 3 })]));
    expect(outcome.success).toBe(true);
    expect(view.steps[0]).toMatchObject({ status: "succeeded", attempts: 3 });
    const keys = new Set(directory.calls.map((c) => c.request.context?.idempotency_key));
    expect(keys.size).toBe(1);
  });

  test("retry: attempts are bounded, then the workflow fails and pending steps are skipped", async () => {
    const directory = new ScriptedDirectory(capabilities).on("svc", "flaky", async () => ({ success: false, error: { code: "MCP_UNAVAILABLE", message: "down", retryable: true } }));
    const { outcome, view } = await run(directory, plan([step("f", "flaky", { failure_handling: "retry", retry_attempts: 2 }), step("next", "write", { dependencies: ["f"] })]));
    expect(outcome.success).toBe(false);
    expect(view.steps.find((s) => s.step_id === "f")).toMatchObject({ status: "failed", attempts: 3 });
    expect(view.steps.find((s) => s.step_id === "next")).toMatchObject({ status: "skipped", error: { message: expect.stringContaining('dependency "f" failed') } });
    expect(directory.calls.filter((c) => c.request.operation === "write")).toHaveLength(0);
  });

  test("retry: domain errors are never retried", async () => {
    const directory = new ScriptedDirectory(capabilities).on("svc", "flaky", async () => ({ success: false, error: { code: "OUT_OF_STOCK", message: "none left", retryable: false } }));
    const { view } = await run(directory, plan([step("f", "flaky", { failure_handling: "retry", retry_attempts: 3 })]));
    expect(view.steps[0]).toMatchObject({ status: "failed", attempts: 1, error: { code: "OUT_OF_STOCK" } });
  });

  test("a step that times out is cut off by its AbortSignal and retried", async () => {
    const directory = new ScriptedDirectory(capabilities).on("svc", "slow", async (_request, attempt, signal) => {
      if (attempt === 1) await sleep(5_000, signal);
      return { success: true, result: { attempt } };
    });
    const started = performance.now();
    const { view } = await run(directory, plan([step("s", "slow", { timeout_seconds: 0.2, failure_handling: "retry", retry_attempts: 1 })]));
    expect(view.steps[0]).toMatchObject({ status: "succeeded", attempts: 2, result: { attempt: 2 } });
    expect(performance.now() - started).toBeLessThan(4_000);
  });

  test("skip: the failed step is skipped, its dependents are skipped with the reason, the rest runs", async () => {
    const directory = new ScriptedDirectory(capabilities).on("svc", "flaky", async () => ({ success: false, error: { code: "BROKEN", message: "nope", retryable: false } }));
    const { outcome, view } = await run(
      directory,
      plan([step("optional", "flaky", { failure_handling: "skip" }), step("needs_optional", "write", { dependencies: ["optional"] }), step("independent", "read")]),
    );
    expect(outcome.success).toBe(true);
    const byId = Object.fromEntries(view.steps.map((s) => [s.step_id, s]));
    expect(byId.optional).toMatchObject({ status: "skipped", error: { code: "BROKEN" } });
    expect(byId.needs_optional).toMatchObject({ status: "skipped", error: { message: expect.stringContaining('dependency "optional" skipped') } });
    expect(byId.independent).toMatchObject({ status: "succeeded" });
  });

  test("abort: a failure stops pending steps; running ones finish; reservations are released", async () => {
    const directory = new ScriptedDirectory(capabilities)
      .on("svc", "hold", async () => ({ success: true, result: { hold_id: "H-9" } }))
      .on("svc", "flaky", async () => ({ success: false, error: { code: "BROKEN", message: "nope", retryable: false } }))
      .on("svc", "slow", async () => {
        await sleep(100);
        return { success: true, result: {} };
      });
    const { outcome, view } = await run(
      directory,
      plan([
        step("hold", "hold"),
        step("breaks", "flaky", { dependencies: ["hold"] }),
        step("slow_sibling", "slow", { dependencies: ["hold"] }),
        step("later", "write", { dependencies: ["slow_sibling"] }),
      ]),
    );
    expect(outcome.success).toBe(false);
    const byId = Object.fromEntries(view.steps.map((s) => [s.step_id, s]));
    expect(byId.slow_sibling!.status).toBe("succeeded");
    expect(byId.later).toMatchObject({ status: "skipped", error: { message: expect.stringContaining("aborted") } });
    const release = directory.calls.find((c) => c.request.operation === "unhold")!;
    expect(release.request.parameters).toEqual({ hold_id: "H-9" });
    expect(outcome.compensations).toEqual([expect.objectContaining({ for_step: "hold", operation: "unhold", success: true })]);
  });

  test("a compensation that meets a transient failure is retried until the release goes through", async () => {
    const directory = new ScriptedDirectory(capabilities)
      .on("svc", "hold", async () => ({ success: true, result: { hold_id: "H-2" } }))
      .on("svc", "flaky", async () => ({ success: false, error: { code: "BROKEN", message: "nope", retryable: false } }))
      .on("svc", "unhold", async (_request, attempt) =>
        attempt <= 2 ? { success: false, error: { code: "MCP_UNAVAILABLE", message: "down for a moment", retryable: true } } : { success: true, result: {} },
      );
    const { outcome } = await run(directory, plan([step("hold", "hold"), step("breaks", "flaky", { dependencies: ["hold"] })]));
    expect(outcome.compensations).toEqual([expect.objectContaining({ for_step: "hold", operation: "unhold", success: true, attempts: 3 })]);
    const keys = new Set(directory.calls.filter((c) => c.request.operation === "unhold").map((c) => c.request.context?.idempotency_key));
    expect(keys.size).toBe(1);
  });

  test("a reservation whose call timed out is replayed with its key and then released", async () => {
    const seenKeys = new Set<unknown>();
    const directory = new ScriptedDirectory(capabilities).on("svc", "hold", async (request, _attempt, signal) => {
      // Like a real idempotent server: the first call takes effect but answers too late;
      // a call with the same key returns the stored hold at once.
      const key = request.context?.idempotency_key;
      if (!seenKeys.has(key)) {
        seenKeys.add(key);
        await sleep(2_000, signal);
      }
      return { success: true, result: { hold_id: `H-${String(key)}` } };
    });
    const { id, outcome } = await run(directory, plan([step("hold", "hold", { timeout_seconds: 0.2 })]));
    expect(outcome.success).toBe(false);
    const release = directory.calls.find((c) => c.request.operation === "unhold")!;
    expect(release.request.parameters).toEqual({ hold_id: `H-${id}:hold` });
  });

  test("validation checks fail a step whose result does not satisfy them", async () => {
    const directory = new ScriptedDirectory(capabilities).on("svc", "read", async () => ({ success: true, result: { sufficient: false, available: 0 } }));
    const { view } = await run(directory, plan([step("check", "read", { validation_checks: ["result.sufficient == true", "stock must be enough"] })]));
    expect(view.steps[0]).toMatchObject({ status: "failed", error: { code: "VALIDATION_CHECK_FAILED", message: expect.stringContaining("result.sufficient == true") } });
  });
});
