import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createServiceRegistry, silentLogger } from "@switchyard/registry";
import { createOrchestratorService, directoryFromRegistry, loadOrchestratorConfig } from "../src/index.js";
import { post, startInProcessStack, type InProcessStack } from "./support/in-process-stack.js";

let stack: InProcessStack;
beforeAll(async () => {
  stack = await startInProcessStack({ MAX_REQUEST_BYTES: "2048" });
});
afterAll(async () => {
  await stack.close();
});

const get = async (path: string) => {
  const response = await stack.orchestrator.app.request(path);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("timed out waiting");
}

describe("bad requests get a clear 4xx and change nothing", () => {
  test.each([
    ["an empty body", "", 400, "EMPTY_REQUEST"],
    ["malformed JSON", "{oops", 400, "MALFORMED_JSON"],
    ["a missing user_request", { priority: "high" }, 400, "INVALID_REQUEST"],
    ["a blank user_request", { user_request: "   " }, 400, "INVALID_REQUEST"],
    ["a bad request_id", { user_request: "Check stock of laptop", request_id: "has spaces" }, 400, "INVALID_REQUEST"],
    ["a bad callback_url", { user_request: "Check stock of laptop", callback_url: "ftp://x" }, 400, "INVALID_REQUEST"],
    ["an oversized body", { user_request: `Check stock of laptop ${"x".repeat(3000)}` }, 400, "REQUEST_TOO_LARGE"],
  ])("%s", async (_label, body, status, code) => {
    const response = await post(stack, "/orchestrate", body);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.message.length).toBeGreaterThan(5);
  });

  test("field errors name the field", async () => {
    const response = await post(stack, "/orchestrate", { user_request: "" });
    expect(response.body.error.details.fields).toEqual([{ path: "user_request", message: "must not be empty" }]);
  });

  test("a request the rule planner does not understand is 422 with what it can do", async () => {
    const response = await post(stack, "/orchestrate", { request_id: "unknown-form", user_request: "Write me a poem about laptops" });
    expect(response.status).toBe(422);
    expect(response.body.error.details.supported_requests).toContain("Place an order for 2 laptops");
    expect((await get("/workflow/unknown-form")).body.status).toBe("rejected");
  });

  test("unknown workflows and routes are 404; a bad filter is 400", async () => {
    expect((await get("/workflow/nope")).status).toBe(404);
    expect((await get("/no-such-route")).status).toBe(404);
    expect((await get("/workflows?status=sleeping")).status).toBe(400);
    expect((await get("/workflows?limit=0")).status).toBe(400);
  });
});

describe("what the user sent is kept", () => {
  test("priority and context are stored with the workflow, and the context's customer reaches the order", async () => {
    const { body } = await post(stack, "/orchestrate", {
      request_id: "with-context",
      user_request: "Place an order for 1 keyboard",
      priority: "high",
      context: { customer: "alice@example.com", channel: "web" },
    });
    expect(body.success).toBe(true);
    const view = (await get("/workflow/with-context")).body;
    expect(view).toMatchObject({ priority: "high", context: { customer: "alice@example.com", channel: "web" } });
    const orderId = body.execution_results.find((s: { step_id: string }) => s.step_id === "create_order").result.order_id;
    expect(stack.query("order", "SELECT customer FROM orders WHERE id = ?", orderId)).toEqual([{ customer: "alice@example.com" }]);
  });
});

describe("one request id, one execution", () => {
  test("concurrent and repeated requests with one request_id return the same workflow and order once", async () => {
    const body = { request_id: "same-order", user_request: "Place an order for 1 laptop" };
    const reservationsBefore = stack.query<{ n: number }>("inventory", "SELECT count(*) AS n FROM reservations")[0]!.n;
    const [a, b] = await Promise.all([post(stack, "/orchestrate", body), post(stack, "/orchestrate", body)]);
    const c = await post(stack, "/orchestrate", body);
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    expect(a.body.execution_results).toEqual(b.body.execution_results);
    expect(c.body.execution_results).toEqual(a.body.execution_results);
    const orderId = a.body.execution_results.find((s: { step_id: string }) => s.step_id === "create_order").result.order_id;
    expect(stack.query("order", "SELECT id FROM orders WHERE id = ?", orderId)).toHaveLength(1);
    expect(stack.query("inventory", "SELECT count(*) AS n FROM reservations")).toEqual([{ n: reservationsBefore + 1 }]);
  });

  test("the Idempotency-Key header works like request_id; reusing an id for another request is 409", async () => {
    const first = await post(stack, "/orchestrate", { user_request: "Check stock of monitor" }, { "idempotency-key": "header-key-1" });
    expect(first.body.request_id).toBe("header-key-1");
    const conflict = await post(stack, "/orchestrate", { user_request: "Check stock of mouse" }, { "idempotency-key": "header-key-1" });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe("REQUEST_ID_REUSED");
  });
});

describe("asynchronous workflows", () => {
  test("202 with a status URL; the callback receives the final response; events stream as SSE", async () => {
    const received: unknown[] = [];
    const receiver = createServer((req: IncomingMessage, res) => {
      let data = "";
      req.on("data", (chunk) => (data += chunk));
      req.on("end", () => {
        received.push(JSON.parse(data));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const callback = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/done`;
    try {
      const accepted = await post(stack, "/orchestrate-async", { request_id: "async-1", user_request: "Place an order for 1 laptop", callback_url: callback });
      expect(accepted.status).toBe(202);
      expect(accepted.body.status_url).toMatch(/\/workflow\/async-1$/);
      const events = await stack.orchestrator.app.request("/workflow/async-1/events");
      expect(events.headers.get("content-type")).toContain("text/event-stream");
      const text = await events.text();
      const types = [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
      expect(types[0]).toBe("workflow_created");
      expect(types).toContain("plan_ready");
      expect(types).toContain("step_running");
      expect(types.filter((t) => t === "step_succeeded")).toHaveLength(5);
      expect(types.at(-1)).toBe("workflow_finished");
      const view = (await get("/workflow/async-1")).body;
      expect(view.status).toBe("succeeded");
      expect(view.steps.every((s: { status: string; attempts: number; duration_ms: number }) => s.status === "succeeded" && s.attempts === 1 && s.duration_ms >= 0)).toBe(true);
      const delivered = await waitFor(async () => (received.length > 0 ? received[0] : undefined));
      expect(delivered).toMatchObject({ request_id: "async-1", success: true });
      await waitFor(async () => ((await get("/workflow/async-1")).body.callback.status === "delivered" ? true : undefined));
    } finally {
      receiver.close();
    }
  });

  test("events resume after Last-Event-ID", async () => {
    await post(stack, "/orchestrate", { request_id: "resume-1", user_request: "Check stock of laptop" });
    const all = await (await stack.orchestrator.app.request("/workflow/resume-1/events")).text();
    const ids = [...all.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    const rest = await (await stack.orchestrator.app.request("/workflow/resume-1/events", { headers: { "last-event-id": String(ids[1]) } })).text();
    const restIds = [...rest.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(restIds).toEqual(ids.slice(2));
  });
});

describe("listing and health", () => {
  test("GET /workflows filters by status; /services and /health show the five services", async () => {
    await post(stack, "/orchestrate", { request_id: "list-1", user_request: "Check stock of keyboard" });
    const succeeded = (await get("/workflows?status=succeeded")).body.workflows as Array<{ request_id: string; status: string }>;
    expect(succeeded.some((w) => w.request_id === "list-1")).toBe(true);
    expect(succeeded.every((w) => w.status === "succeeded")).toBe(true);
    const services = (await get("/services")).body.services as Array<{ name: string; status: string }>;
    expect(services.map((s) => s.name).sort()).toEqual(["inventory", "order", "parts", "payment", "repair-orders"]);
    expect(services.every((s) => s.status === "healthy")).toBe(true);
    const health = (await get("/health")).body;
    expect(health).toMatchObject({ status: "ok", planner: "rules" });
    expect(health.healthy_services).toHaveLength(5);
  });

  test("with no healthy service the orchestrator answers 503 and records nothing", async () => {
    const registry = createServiceRegistry({ staticServices: { inventory: ["http://127.0.0.1:9"] }, logger: silentLogger, healthCheckTimeoutMs: 500, unhealthyThreshold: 1 });
    await registry.checkNow();
    const lonely = createOrchestratorService(loadOrchestratorConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), "switchyard-503-")) }), directoryFromRegistry(registry));
    try {
      const response = await lonely.app.request("/orchestrate", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ request_id: "x", user_request: "Check stock of laptop" }) });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("NO_HEALTHY_SERVICES");
      expect((await lonely.app.request("/workflow/x")).status).toBe(404);
    } finally {
      lonely.close();
      await registry.stop();
    }
  });
});
