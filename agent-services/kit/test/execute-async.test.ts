import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openInventoryDatabase, type InventoryDatabase } from "@switchyard/inventory-mcp";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { agentServiceResponseSchema } from "../src/index.js";
import { startHttpReceiver, type HttpReceiver } from "./support/http-receiver.js";
import { createInventoryAgent, type InventoryAgent } from "./support/inventory-agent.js";

function countTasks(dataDir: string): number {
  const db = new Database(join(dataDir, "agent-inventory.db"), { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM agent_tasks").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("POST /execute-async", () => {
  let receiver: HttpReceiver;
  let inventory: InventoryDatabase;
  const agents: InventoryAgent[] = [];

  const agentOver = async (dataDir?: string, limits = {}) => {
    const agent = await createInventoryAgent({ inventory, withTestTools: true, limits, ...(dataDir ? { dataDir } : {}) });
    agents.push(agent);
    return agent;
  };

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    inventory = openInventoryDatabase(mkdtempSync(join(tmpdir(), "agent-kit-async-inventory-")));
  });

  afterEach(async () => {
    for (const agent of agents.splice(0)) await agent.close();
    receiver.received.length = 0;
    receiver.respondWith.length = 0;
  });

  afterAll(async () => {
    inventory.close();
    await receiver.close();
  });

  it("runs the task, shows its progress and result at /status and posts the response to the callback", async () => {
    const agent = await agentOver();
    const submitted = await agent.post("/execute-async", {
      request_id: "async-1",
      operation: "slow_echo",
      parameters: { message: "done", delay_ms: 400 },
      callback_url: `${receiver.url}/callbacks/async-1`,
    });
    expect(submitted.status).toBe(202);
    const taskId: string = submitted.body.task_id;
    expect(taskId).toMatch(/^task_/);
    expect(submitted.body.status_url).toBe(`http://localhost/status/${taskId}`);

    await vi.waitFor(async () => expect((await agent.get(`/status/${taskId}`)).body.status).toBe("running"), { timeout: 5_000, interval: 10 });
    const [callback] = await receiver.waitFor(1);
    expect(callback!.method).toBe("POST");
    expect(callback!.path).toBe("/callbacks/async-1");
    expect(callback!.headers["x-switchyard-task-id"]).toBe(taskId);
    const delivered = agentServiceResponseSchema.parse(callback!.body);
    expect(delivered).toMatchObject({ request_id: "async-1", success: true, result: { message: "done" } });

    await vi.waitFor(async () => expect((await agent.get(`/status/${taskId}`)).body.callback.delivered).toBe(true), { timeout: 5_000, interval: 10 });
    const status = await agent.get(`/status/${taskId}`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      task_id: taskId,
      status: "succeeded",
      request: { request_id: "async-1", operation: "slow_echo", parameters: { message: "done", delay_ms: 400 } },
      response: { success: true, result: { message: "done" } },
      callback: { url: `${receiver.url}/callbacks/async-1`, attempts: 1, delivered: true },
    });
    expect(status.body.callback.last_error).toBeUndefined();
  });

  it("records a failed task with its error response", async () => {
    const agent = await agentOver();
    const submitted = await agent.post("/execute-async", { request_id: "async-2", operation: "reserve_stock", parameters: { sku: "laptop", quantity: 99_999 } });
    expect(submitted.status).toBe(202);
    await vi.waitFor(async () => expect((await agent.get(`/status/${submitted.body.task_id}`)).body.status).toBe("failed"), { timeout: 5_000, interval: 10 });
    const { body } = await agent.get(`/status/${submitted.body.task_id}`);
    expect(body.response.error.code).toBe("OUT_OF_STOCK");
    expect(body.callback).toEqual({ url: null, attempts: 0, delivered: false });
  });

  it("retries the callback when the receiver fails once", async () => {
    const agent = await agentOver();
    receiver.respondWith.push(503);
    const submitted = await agent.post("/execute-async", {
      request_id: "async-3",
      operation: "check_inventory",
      parameters: { sku: "mouse", quantity: 1 },
      callback_url: `${receiver.url}/flaky`,
    });
    const posts = await receiver.waitFor(2);
    expect(posts.map((post) => (post.body as { request_id: string }).request_id)).toEqual(["async-3", "async-3"]);
    await vi.waitFor(async () => expect((await agent.get(`/status/${submitted.body.task_id}`)).body.callback.delivered).toBe(true), { timeout: 5_000, interval: 10 });
    const { body } = await agent.get(`/status/${submitted.body.task_id}`);
    expect(body.callback).toEqual({ url: `${receiver.url}/flaky`, attempts: 2, delivered: true });
  });

  it("gives up at once on a callback answered 404, and says why", async () => {
    const agent = await agentOver();
    receiver.respondWith.push(404);
    const submitted = await agent.post("/execute-async", {
      request_id: "async-4",
      operation: "check_inventory",
      parameters: { sku: "mouse", quantity: 1 },
      callback_url: `${receiver.url}/gone`,
    });
    await vi.waitFor(async () => expect((await agent.get(`/status/${submitted.body.task_id}`)).body.callback.attempts).toBe(1), { timeout: 5_000, interval: 10 });
    const { body } = await agent.get(`/status/${submitted.body.task_id}`);
    expect(body.callback).toEqual({ url: `${receiver.url}/gone`, attempts: 1, delivered: false, last_error: "callback receiver answered HTTP 404" });
    expect(receiver.received).toHaveLength(1);
  });

  it("validates before accepting: a bad request is a 400 and creates no task", async () => {
    const agent = await agentOver();
    const unknown = await agent.post("/execute-async", { request_id: "async-5", operation: "nope", parameters: {} });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe("UNKNOWN_OPERATION");
    const invalid = await agent.post("/execute-async", { request_id: "async-6", operation: "reserve_stock", parameters: { sku: "laptop" } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details).toEqual([{ path: "quantity", message: "is required" }]);
    expect((await agent.post("/execute-async", "{oops")).status).toBe(400);
    expect(countTasks(agent.dataDir)).toBe(0);
  });

  it("answers 404 for an unknown task id", async () => {
    const agent = await agentOver();
    const { status, body } = await agent.get("/status/task_missing");
    expect(status).toBe(404);
    expect(body.error.code).toBe("TASK_NOT_FOUND");
  });

  it("keeps task records across a restart over the same data folder", async () => {
    const first = await agentOver();
    const submitted = await first.post("/execute-async", { request_id: "async-7", operation: "check_inventory", parameters: { sku: "laptop", quantity: 1 } });
    await vi.waitFor(async () => expect((await first.get(`/status/${submitted.body.task_id}`)).body.status).toBe("succeeded"), { timeout: 5_000, interval: 10 });
    const before = (await first.get(`/status/${submitted.body.task_id}`)).body;
    await first.close();
    agents.splice(agents.indexOf(first), 1);

    const second = await agentOver(first.dataDir);
    const after = await second.get(`/status/${submitted.body.task_id}`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before);
  });

  it("after a stop mid-task, resumes what is safe to repeat and marks the rest INTERRUPTED", async () => {
    const first = await agentOver(undefined, { taskConcurrency: 2, shutdownGraceMs: 50 });
    const submit = (requestId: string, operation: string, parameters: Record<string, unknown>) =>
      first.post("/execute-async", { request_id: requestId, operation, parameters, callback_url: `${receiver.url}/recovery` });
    const readOnly = (await submit("r-read", "slow_echo", { message: "again", delay_ms: 1_500 })).body.task_id;
    const write = (await submit("r-write", "slow_write", { delay_ms: 1_500 })).body.task_id;
    const queued = (await submit("r-queued", "check_inventory", { sku: "laptop", quantity: 1 })).body.task_id;
    await vi.waitFor(async () => expect((await first.get(`/status/${write}`)).body.status).toBe("running"), { timeout: 5_000, interval: 10 });
    await first.close();
    agents.splice(agents.indexOf(first), 1);

    const stored = new Database(join(first.dataDir, "agent-inventory.db"), { readonly: true });
    const statuses = Object.fromEntries(
      (stored.prepare("SELECT id, status FROM agent_tasks").all() as { id: string; status: string }[]).map((row) => [row.id, row.status]),
    );
    stored.close();
    expect(statuses).toEqual({ [readOnly]: "running", [write]: "running", [queued]: "queued" });

    const second = await agentOver(first.dataDir);
    await vi.waitFor(
      async () => {
        for (const id of [readOnly, write, queued]) expect(["succeeded", "failed"]).toContain((await second.get(`/status/${id}`)).body.status);
      },
      { timeout: 10_000, interval: 20 },
    );
    expect((await second.get(`/status/${readOnly}`)).body).toMatchObject({ status: "succeeded", response: { result: { message: "again" } } });
    expect((await second.get(`/status/${queued}`)).body).toMatchObject({ status: "succeeded", response: { result: { sku: "laptop" } } });
    const interrupted = (await second.get(`/status/${write}`)).body;
    expect(interrupted).toMatchObject({ status: "failed", response: { success: false, error: { code: "INTERRUPTED", retryable: false } } });
    const callbacks = await receiver.waitFor(3);
    expect(callbacks.map((post) => (post.body as { request_id: string }).request_id).sort()).toEqual(["r-queued", "r-read", "r-write"]);
  });
});
