import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import type { ServiceDirectory } from "./capabilities.js";
import { OrchestratorError } from "./errors.js";
import type { Orchestrator, OrchestratorRequest } from "./orchestrator.js";
import { workflowStatuses } from "./schema.js";
import type { WorkflowEvent, WorkflowStore } from "./workflow-store.js";

const requestSchema = z.object({
  request_id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, "1-128 letters, digits, _ . : or -").optional(),
  user_request: z.string().trim().min(1, "must not be empty").max(4_000, "must be at most 4000 characters"),
  priority: z.enum(["low", "normal", "high"]).optional(),
  callback_url: z.url({ protocol: /^https?$/ }).optional(),
  context: z.record(z.string(), z.unknown()).optional(),
  mode: z.enum(["plan", "react"]).optional(),
});

const finalEvents = new Set(["workflow_finished", "workflow_rejected"]);

export interface OrchestratorAppOptions {
  orchestrator: Orchestrator;
  store: WorkflowStore;
  directory: ServiceDirectory;
  maxRequestBytes: number;
  version?: string;
}

/** The orchestrator's HTTP API. */
export function createOrchestratorApp(options: OrchestratorAppOptions): Hono {
  const { orchestrator, store, directory } = options;
  const app = new Hono();
  const startedAt = Date.now();

  app.onError((error, c) => {
    if (error instanceof OrchestratorError) {
      return c.json({ error: { code: error.code, message: error.message, details: error.details ?? null } }, error.status);
    }
    process.stderr.write(`[orchestrator] unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return c.json({ error: { code: "INTERNAL", message: "unexpected error; see the orchestrator's log", details: null } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: "NOT_FOUND", message: `no route ${c.req.method} ${c.req.path}`, details: null } }, 404));

  const limit = bodyLimit({
    maxSize: options.maxRequestBytes,
    onError: () => {
      throw new OrchestratorError(400, "REQUEST_TOO_LARGE", `the request body exceeds ${options.maxRequestBytes} bytes`);
    },
  });

  async function readRequest(c: Context): Promise<OrchestratorRequest> {
    const text = await c.req.text();
    if (text.trim() === "") throw new OrchestratorError(400, "EMPTY_REQUEST", 'the body is empty; send JSON like {"user_request": "Place an order for 2 laptops"}');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new OrchestratorError(400, "MALFORMED_JSON", "the body is not valid JSON");
    }
    const parsed = requestSchema.safeParse(json);
    if (!parsed.success) {
      throw new OrchestratorError(400, "INVALID_REQUEST", "the request is invalid", {
        fields: parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message })),
      });
    }
    const headerKey = c.req.header("idempotency-key");
    if (headerKey !== undefined && parsed.data.request_id !== undefined && headerKey !== parsed.data.request_id) {
      throw new OrchestratorError(400, "CONFLICTING_IDS", "the Idempotency-Key header and request_id differ; send one or make them equal");
    }
    if (headerKey !== undefined && !/^[A-Za-z0-9_.:-]{1,128}$/.test(headerKey)) {
      throw new OrchestratorError(400, "INVALID_REQUEST", "the Idempotency-Key header must be 1-128 letters, digits, _ . : or -");
    }
    return { ...parsed.data, request_id: parsed.data.request_id ?? headerKey };
  }

  app.post("/orchestrate", limit, async (c) => {
    const request = await readRequest(c);
    const response = await orchestrator.orchestrate(request);
    return c.json(response, 200);
  });

  app.post("/orchestrate-async", limit, async (c) => {
    const request = await readRequest(c);
    const started = orchestrator.start(request);
    // The outcome is read through /workflow/:id; a failure here is already persisted.
    started.done.catch(() => undefined);
    const base = new URL(c.req.url).origin;
    return c.json(
      {
        request_id: started.requestId,
        status: store.get(started.requestId)?.status ?? "planning",
        created: started.created,
        status_url: `${base}/workflow/${started.requestId}`,
        events_url: `${base}/workflow/${started.requestId}/events`,
      },
      202,
    );
  });

  app.get("/workflow/:id", (c) => {
    const view = store.get(c.req.param("id"));
    if (!view) throw new OrchestratorError(404, "WORKFLOW_NOT_FOUND", `No workflow with request_id "${c.req.param("id")}".`);
    return c.json(view);
  });

  app.get("/workflow/:id/events", (c) => {
    const id = c.req.param("id");
    const view = store.get(id);
    if (!view) throw new OrchestratorError(404, "WORKFLOW_NOT_FOUND", `No workflow with request_id "${id}".`);
    const lastEventId = Number(c.req.header("last-event-id") ?? c.req.query("after") ?? 0) || 0;
    return streamSSE(c, async (stream) => {
      const queue: WorkflowEvent[] = [];
      let wake: (() => void) | undefined;
      // Subscribe before replaying, so nothing falls between the replay and live events.
      const unsubscribe = store.subscribe(id, (event) => {
        queue.push(event);
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      let lastSent = lastEventId;
      const send = async (event: WorkflowEvent) => {
        if (event.id <= lastSent) return false;
        lastSent = event.id;
        await stream.writeSSE({ id: String(event.id), event: event.type, data: JSON.stringify(event) });
        return finalEvents.has(event.type);
      };
      try {
        for (const event of store.eventsSince(id, lastEventId)) {
          if (await send(event)) return;
        }
        const status = store.get(id)?.status;
        if (status !== "planning" && status !== "running") return;
        while (!stream.aborted) {
          while (queue.length > 0) {
            if (await send(queue.shift()!)) return;
          }
          // Wait for the next event, with a keep-alive ping every 15 s of silence.
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 15_000);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          if (queue.length === 0 && !stream.aborted) await stream.writeSSE({ event: "ping", data: "{}" });
        }
      } finally {
        unsubscribe();
      }
    });
  });

  app.get("/workflows", (c) => {
    const status = c.req.query("status");
    if (status !== undefined && !(workflowStatuses as readonly string[]).includes(status)) {
      throw new OrchestratorError(400, "INVALID_STATUS", `status must be one of ${workflowStatuses.join(", ")}`);
    }
    const limitText = c.req.query("limit") ?? "50";
    const limitValue = Number(limitText);
    if (!Number.isInteger(limitValue) || limitValue < 1 || limitValue > 500) {
      throw new OrchestratorError(400, "INVALID_LIMIT", "limit must be an integer from 1 to 500");
    }
    return c.json({ workflows: store.list({ status: status as (typeof workflowStatuses)[number] | undefined, limit: limitValue }) });
  });

  app.get("/services", (c) => c.json(directory.snapshot() as Record<string, unknown>));

  app.get("/health", (c) => {
    const healthy = directory.healthyCapabilities().map((s) => s.service_name);
    return c.json({
      status: healthy.length > 0 ? "ok" : "degraded",
      version: options.version ?? "0.1.0",
      planner: orchestrator.plannerKind,
      uptime_seconds: (Date.now() - startedAt) / 1000,
      healthy_services: healthy,
      unhealthy_services: directory.unhealthyServices(),
    });
  });

  return app;
}
