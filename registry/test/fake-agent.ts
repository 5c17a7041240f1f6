import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";
import type { AgentServiceRequest, ServiceCapabilities } from "../src/index.js";

/** How a fake agent answers; tests flip these fields while it runs. */
export interface FakeAgentBehaviour {
  /** `missing` answers 404 on /health/ready, so the registry falls back to /health. */
  ready: "ok" | "fail" | "slow" | "missing";
  /** The JSON `status` that /health reports. */
  healthStatus: "ok" | "degraded";
  /** Status of /execute answers: 200 success, 502/503 unavailable, 422 domain failure, 504 timeout, or `hang`. */
  execute: 200 | 422 | 502 | 503 | 504 | "hang";
  capabilities: ServiceCapabilities;
  /** How long `slow` and `hang` wait. */
  delayMs: number;
}

export interface FakeAgent {
  name: string;
  url: string;
  port: number;
  behaviour: FakeAgentBehaviour;
  /** Every /execute body received, in order. */
  executed: AgentServiceRequest[];
  /** Stops listening and drops open connections, as a crashed process would. */
  kill(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
}

/** A capabilities document with the given operations. */
export function capabilitiesOf(serviceName: string, operations: string[], updatedAt = new Date().toISOString()): ServiceCapabilities {
  return {
    service_name: serviceName,
    version: "1.0.0",
    description: `fake ${serviceName} agent`,
    operations: operations.map((name) => ({
      name,
      description: `the ${name} operation`,
      kind: "mcp",
      input_schema: { type: "object", properties: {} },
      output_schema: null,
      annotations: { read_only: true, destructive: false, idempotent: true },
      compensation: null,
    })),
    updated_at: updatedAt,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function listen(app: Hono, port: number): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port }, (info: AddressInfo) => resolve({ server, port: info.port }));
    server.once("error", reject);
  });
}

/**
 * A small agent service on a real port: /health, /health/ready, /capabilities and
 * /execute, whose answers follow `behaviour`. `name` labels it in results.
 */
export async function startFakeAgent(serviceName: string, name: string, behaviour: Partial<FakeAgentBehaviour> = {}): Promise<FakeAgent> {
  const state: FakeAgentBehaviour = {
    ready: "ok",
    healthStatus: "ok",
    execute: 200,
    capabilities: capabilitiesOf(serviceName, ["check_inventory"]),
    delayMs: 2_000,
    ...behaviour,
  };
  const executed: AgentServiceRequest[] = [];
  const app = new Hono();
  app.get("/health", (c) => c.json({ status: state.healthStatus, service: serviceName }));
  app.get("/health/ready", async (c) => {
    if (state.ready === "missing") return c.json({ error: "not found" }, 404);
    if (state.ready === "slow") await sleep(state.delayMs);
    return state.ready === "fail" ? c.json({ ready: false, reason: "mcp unreachable" }, 503) : c.json({ ready: true });
  });
  app.get("/capabilities", (c) => c.json(state.capabilities));
  app.post("/execute", async (c) => {
    const body = (await c.req.json()) as AgentServiceRequest;
    executed.push(body);
    if (state.execute === "hang") await sleep(state.delayMs);
    const status = state.execute === "hang" ? 200 : state.execute;
    const success = status === 200;
    return c.json(
      {
        request_id: body.request_id,
        success,
        result: success ? { served_by: name, operation: body.operation } : null,
        ...(success ? {} : { error: { code: `FAKE_${status}`, message: `fake ${name} answered ${status}`, retryable: status !== 422 } }),
        execution_time: 0.001,
        metadata: { service: serviceName, operation: body.operation },
        timestamp: new Date().toISOString(),
      },
      status,
    );
  });

  let running = await listen(app, 0);
  let alive = true;
  const port = running.port;
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    port,
    behaviour: state,
    executed,
    kill: async () => {
      if (!alive) return;
      alive = false;
      const closed = new Promise<void>((resolve) => running.server.close(() => resolve()));
      (running.server as unknown as { closeAllConnections(): void }).closeAllConnections();
      await closed;
    },
    restart: async () => {
      if (alive) return;
      running = await listen(app, port);
      alive = true;
    },
  };
}

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** A loopback URL on which nothing listens (a port just freed), for connection-refused cases. */
export async function closedPortUrl(): Promise<string> {
  const { server, port } = await listen(new Hono(), 0);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
