import { Hono, type Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { streamSSE } from "hono/streaming";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { createStderrLogger, type RegistryLogger } from "./logger.js";
import { RegistryError } from "./registry-error.js";
import type { RegistryEvent } from "./registry-events.js";
import { deregistrationSchema, registrationSchema } from "./registration.js";
import type { ServiceRegistry } from "./service-registry.js";

/** Options of the registry's HTTP app. */
export interface RegistryAppOptions {
  /** Where unexpected errors are reported; defaults to stderr. */
  logger?: RegistryLogger;
  /** Interval of keep-alive comments on idle event streams, so proxies do not cut them. Default 15000. */
  sseKeepAliveMs?: number;
}

/** The one place that turns error codes into HTTP statuses. */
const statusByCode: Record<string, ContentfulStatusCode> = {
  MALFORMED_JSON: 400,
  INVALID_REQUEST: 400,
  INVALID_REGISTRATION: 400,
  NOT_FOUND: 404,
  SERVICE_NOT_FOUND: 404,
  INSTANCE_NOT_FOUND: 404,
  NO_HEALTHY_INSTANCE: 503,
};

/** Registrations over HTTP come from other processes, so their TTL is bounded. */
const httpRegistrationSchema = registrationSchema.extend({
  ttl_seconds: z
    .number({ error: "ttl_seconds must be a number of seconds" })
    .min(5, "ttl_seconds must be at least 5")
    .max(3600, "ttl_seconds must be at most 3600")
    .optional(),
});

const afterIdSchema = z.coerce
  .number({ error: "after must be an event id" })
  .int("after must be a whole event id")
  .min(0, "after must not be negative")
  .optional();

function fieldErrors(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join(".") || "(body)", message: issue.message }));
}

function parseBody<T extends z.ZodType>(schema: T, body: unknown, what: string): z.output<T> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new RegistryError("INVALID_REQUEST", `The ${what} body must be a JSON object`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const details = fieldErrors(parsed.error);
    throw new RegistryError("INVALID_REQUEST", `Invalid ${what}: ${details.map((d) => `${d.path}: ${d.message}`).join("; ")}`, details);
  }
  return parsed.data;
}

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") throw new RegistryError("INVALID_REQUEST", "The request body is empty; send a JSON object");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new RegistryError("MALFORMED_JSON", `Malformed JSON in request body: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function afterId(c: Context): number | undefined {
  const raw = c.req.query("after") ?? c.req.header("last-event-id");
  if (raw === undefined) return undefined;
  const parsed = afterIdSchema.safeParse(raw);
  if (!parsed.success) throw new RegistryError("INVALID_REQUEST", parsed.error.issues[0]?.message ?? "after must be an event id");
  return parsed.data;
}

/**
 * The registry's HTTP API: registration and heartbeats, the services snapshot, recent
 * events (JSON and Server-Sent Events) and its own health. Errors are JSON
 * `{error: {code, message, details}}`.
 *
 * @example
 * const app = createRegistryApp(createServiceRegistry({ staticServices: {} }));
 * const response = await app.request("/services");
 */
export function createRegistryApp(registry: ServiceRegistry, options: RegistryAppOptions = {}): Hono {
  const logger = options.logger ?? createStderrLogger();
  const keepAliveMs = options.sseKeepAliveMs ?? 15_000;
  const startedAt = Date.now();
  const app = new Hono();

  app.post("/register", async (c) => {
    const registration = parseBody(httpRegistrationSchema, await readJson(c), "registration");
    return c.json(registry.register(registration));
  });

  app.delete("/register", async (c) => {
    const { service_name, url } = parseBody(deregistrationSchema, await readJson(c), "deregistration");
    const outcome = registry.deregister({ service_name, url });
    if (outcome === "not_found") {
      throw new RegistryError("INSTANCE_NOT_FOUND", `No instance ${url} is registered for service "${service_name}"`, { service_name, url });
    }
    if (outcome === "static") {
      return c.json({ service_name, url, removed: false, reason: "static instances come from configuration and stay" });
    }
    return c.json({ service_name, url, removed: true });
  });

  app.get("/services", (c) => c.json(registry.snapshot()));

  app.get("/services/:name", (c) => {
    const name = c.req.param("name");
    const service = registry.service(name);
    if (!service) {
      const known = registry.snapshot().services.map((s) => s.name);
      throw new RegistryError("SERVICE_NOT_FOUND", `Unknown service "${name}"; known services: ${known.join(", ") || "none"}`, { known });
    }
    return c.json(service);
  });

  app.get("/events", (c) => c.json({ events: registry.recentEvents(afterId(c)) }));

  app.get("/events/stream", (c) => {
    const after = afterId(c);
    return streamSSE(c, async (stream) => {
      // Replay and subscribe in the same tick, so no event falls between them.
      const queue: RegistryEvent[] = after === undefined ? [] : registry.recentEvents(after);
      let wake: (() => void) | undefined;
      const unsubscribe = registry.subscribe((event) => {
        queue.push(event);
        wake?.();
      });
      stream.onAbort(() => wake?.());
      try {
        while (!stream.aborted) {
          const event = queue.shift();
          if (event) {
            await stream.writeSSE({ id: String(event.id), event: event.type, data: JSON.stringify(event) });
            continue;
          }
          const idle = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(true), keepAliveMs);
            wake = () => {
              clearTimeout(timer);
              resolve(false);
            };
          });
          wake = undefined;
          if (idle && !stream.aborted) await stream.write(": keep-alive\n\n");
        }
      } finally {
        unsubscribe();
      }
    });
  });

  app.get("/health", (c) => {
    const services = registry.snapshot().services;
    const count = (status: string) => services.filter((service) => service.status === status).length;
    return c.json({
      status: "ok",
      service: "registry",
      uptime_seconds: (Date.now() - startedAt) / 1000,
      services: { total: services.length, healthy: count("healthy"), degraded: count("degraded"), down: count("down") },
    });
  });

  app.notFound((c) =>
    c.json({ error: { code: "NOT_FOUND", message: `No route for ${c.req.method} ${c.req.path}`, details: null } }, 404),
  );

  app.onError((error, c) => {
    if (error instanceof RegistryError) {
      return c.json({ error: { code: error.code, message: error.message, details: error.details ?? null } }, statusByCode[error.code] ?? 500);
    }
    if (error instanceof HTTPException) {
      return c.json({ error: { code: `HTTP_${error.status}`, message: error.message, details: null } }, error.status);
    }
    logger.warn(`unexpected error on ${c.req.method} ${c.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return c.json({ error: { code: "INTERNAL_ERROR", message: "The registry failed unexpectedly; see its log", details: null } }, 500);
  });

  return app;
}
