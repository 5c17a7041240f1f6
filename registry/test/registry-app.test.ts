import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createRegistryApp, createServiceRegistry, silentLogger, type RegistryEvent, type ServiceRegistry } from "../src/index.js";
import { closedPortUrl, startFakeAgent, type FakeAgent } from "./fake-agent.js";

const NOW = Date.parse("2030-06-01T12:00:00.000Z");

let agent: FakeAgent;
let deadUrl: string;

beforeAll(async () => {
  agent = await startFakeAgent("inventory", "static-a");
  deadUrl = await closedPortUrl();
});

afterAll(async () => {
  await agent?.kill();
});

/** A registry with one live static inventory instance and a fixed clock, plus its app. */
async function setup() {
  const registry = createServiceRegistry({
    staticServices: { inventory: [agent.url], payment: [deadUrl] },
    logger: silentLogger,
    defaultTtlSeconds: 30,
    healthCheckTimeoutMs: 1_000,
    unhealthyThreshold: 1,
    now: () => NOW,
  });
  await registry.checkNow();
  return { registry, app: createRegistryApp(registry, { logger: silentLogger }) };
}

function json(method: string, body: unknown): RequestInit {
  return { method, headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) };
}

interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

describe("POST /register", () => {
  test("registers an instance, and a repeat is a heartbeat", async () => {
    const { app, registry } = await setup();
    const first = await app.request("/register", json("POST", { service_name: "order", url: "http://127.0.0.1:9100/", ttl_seconds: 60 }));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ service_name: "order", url: "http://127.0.0.1:9100", expires_at: "2030-06-01T12:01:00.000Z", source: "registered", renewed: false });

    const again = await app.request("/register", json("POST", { service_name: "order", url: "http://127.0.0.1:9100" }));
    expect(await again.json()).toMatchObject({ expires_at: "2030-06-01T12:00:30.000Z", renewed: true });
    expect(registry.service("order")?.instances).toEqual([
      expect.objectContaining({ url: "http://127.0.0.1:9100", source: "registered", status: "unknown", expires_at: "2030-06-01T12:00:30.000Z" }),
    ]);
  });

  test.each([
    ["missing fields", {}, ["service_name", "url"]],
    ["a bad URL", { service_name: "order", url: "not a url" }, ["url"]],
    ["a non-http URL", { service_name: "order", url: "ftp://127.0.0.1:21" }, ["url"]],
    ["a bad service name", { service_name: "Order Service", url: "http://127.0.0.1:9100" }, ["service_name"]],
    ["a TTL below 5 s", { service_name: "order", url: "http://127.0.0.1:9100", ttl_seconds: 1 }, ["ttl_seconds"]],
    ["a TTL above an hour", { service_name: "order", url: "http://127.0.0.1:9100", ttl_seconds: 7200 }, ["ttl_seconds"]],
    ["a TTL that is a string", { service_name: "order", url: "http://127.0.0.1:9100", ttl_seconds: "30" }, ["ttl_seconds"]],
  ])("refuses %s with 400 and field errors, and changes nothing", async (_label, body, fields) => {
    const { app, registry } = await setup();
    const before = registry.snapshot();
    const response = await app.request("/register", json("POST", body));
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.code).toBe("INVALID_REQUEST");
    expect((error.details as Array<{ path: string }>).map((d) => d.path)).toEqual(fields);
    for (const field of fields) expect(error.message).toContain(`${field}:`);
    expect(registry.snapshot()).toEqual(before);
    expect(registry.recentEvents().filter((e) => e.type === "instance_registered")).toEqual([]);
  });

  test("refuses malformed JSON, an empty body and a non-object with 400", async () => {
    const { app, registry } = await setup();
    const before = registry.snapshot();

    const malformed = await app.request("/register", json("POST", '{"service_name": "order",'));
    expect(malformed.status).toBe(400);
    const malformedBody = (await malformed.json()) as ErrorBody;
    expect(malformedBody.error.code).toBe("MALFORMED_JSON");
    expect(malformedBody.error.message).toMatch(/^Malformed JSON in request body: /);

    const empty = await app.request("/register", { method: "POST" });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as ErrorBody).error.message).toBe("The request body is empty; send a JSON object");

    const list = await app.request("/register", json("POST", [{ service_name: "order" }]));
    expect(list.status).toBe(400);
    expect(((await list.json()) as ErrorBody).error.message).toBe("The registration body must be a JSON object");
    expect(registry.snapshot()).toEqual(before);
  });
});

describe("DELETE /register", () => {
  test("removes a registered instance, 404s an unknown one, keeps a static one and refuses bad input", async () => {
    const { app, registry } = await setup();
    await app.request("/register", json("POST", { service_name: "order", url: "http://127.0.0.1:9100" }));

    const removed = await app.request("/register", json("DELETE", { service_name: "order", url: "http://127.0.0.1:9100/" }));
    expect(removed.status).toBe(200);
    expect(await removed.json()).toEqual({ service_name: "order", url: "http://127.0.0.1:9100", removed: true });
    expect(registry.service("order")?.instances).toEqual([]);
    expect(registry.recentEvents().at(-1)).toMatchObject({ type: "instance_removed", data: { reason: "deregistered" } });

    const unknown = await app.request("/register", json("DELETE", { service_name: "order", url: "http://127.0.0.1:9100" }));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorBody).error).toMatchObject({
      code: "INSTANCE_NOT_FOUND",
      message: 'No instance http://127.0.0.1:9100 is registered for service "order"',
    });

    const staticOne = await app.request("/register", json("DELETE", { service_name: "inventory", url: agent.url }));
    expect(staticOne.status).toBe(200);
    expect(await staticOne.json()).toMatchObject({ removed: false });
    expect(registry.service("inventory")?.instances).toHaveLength(1);

    const bad = await app.request("/register", json("DELETE", { service_name: "order" }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.details).toEqual([{ path: "url", message: "url is required and must be a string" }]);

    const malformed = await app.request("/register", json("DELETE", "{oops"));
    expect(malformed.status).toBe(400);
  });
});

describe("GET /services", () => {
  test("shows every service with its instances, status and capabilities", async () => {
    const { app } = await setup();
    const response = await app.request("/services");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { services: Array<{ name: string; status: string; instances: Array<Record<string, unknown>>; capabilities: { operations: unknown[] } | null }> };
    expect(body.services.map((s) => [s.name, s.status])).toEqual([
      ["inventory", "healthy"],
      ["payment", "down"],
    ]);
    const inventory = body.services[0]!;
    expect(inventory.instances).toEqual([
      {
        url: agent.url,
        source: "static",
        status: "healthy",
        last_check: "2030-06-01T12:00:00.000Z",
        last_error: null,
        consecutive_failures: 0,
        consecutive_successes: 1,
        latency_ms: expect.any(Number),
      },
    ]);
    expect(inventory.capabilities?.operations).toHaveLength(1);
    const payment = body.services[1]!;
    expect(payment.instances[0]).toMatchObject({ status: "unhealthy", last_error: expect.stringMatching(/ECONNREFUSED/) });
    expect(payment.capabilities).toBeNull();
  });

  test("GET /services/:name returns one service; an unknown name is 404 with the known names", async () => {
    const { app } = await setup();
    const one = await app.request("/services/inventory");
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ name: "inventory", status: "healthy", capabilities_updated_at: "2030-06-01T12:00:00.000Z" });

    const missing = await app.request("/services/shipping");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { code: "SERVICE_NOT_FOUND", message: 'Unknown service "shipping"; known services: inventory, payment', details: { known: ["inventory", "payment"] } },
    });
  });
});

describe("events", () => {
  test("GET /events lists recent events, optionally after an id; a bad id is 400", async () => {
    const { app } = await setup();
    await app.request("/register", json("POST", { service_name: "order", url: "http://127.0.0.1:9100" }));
    const all = (await (await app.request("/events")).json()) as { events: RegistryEvent[] };
    // Probes run in parallel, so up and down may come in either order; capabilities follow them.
    expect(all.events.slice(0, 2).map((e) => e.type).sort()).toEqual(["instance_down", "instance_up"]);
    expect(all.events.slice(2).map((e) => e.type)).toEqual(["capabilities_changed", "instance_registered"]);
    expect(all.events.map((e) => e.id)).toEqual([1, 2, 3, 4]);

    const later = (await (await app.request("/events?after=3")).json()) as { events: RegistryEvent[] };
    expect(later.events).toEqual([expect.objectContaining({ id: 4, type: "instance_registered", service_name: "order", url: "http://127.0.0.1:9100" })]);

    const bad = await app.request("/events?after=abc");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.code).toBe("INVALID_REQUEST");
  });

  test("GET /events/stream replays after Last-Event-ID, streams new events and unsubscribes when the client leaves", async () => {
    const { app, registry } = await setup();
    let subscribers = 0;
    // Counts live subscriptions, to see the stream let go of its listener.
    const counted: ServiceRegistry = Object.create(registry, {
      subscribe: {
        value: (listener: (event: RegistryEvent) => void) => {
          subscribers += 1;
          const unsubscribe = registry.subscribe(listener);
          return () => {
            subscribers -= 1;
            unsubscribe();
          };
        },
      },
    });
    const streamingApp = createRegistryApp(counted, { logger: silentLogger });

    const response = await streamingApp.request("/events/stream", { headers: { "last-event-id": "2" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += decoder.decode(value);
      }
    };

    await readUntil("event: capabilities_changed");
    expect(text).toContain("id: 3");
    expect(text).not.toContain("event: instance_up");

    await streamingApp.request("/register", json("POST", { service_name: "parts", url: "http://127.0.0.1:9200" }));
    await readUntil("event: instance_registered");
    const frame = text.slice(text.indexOf("event: instance_registered"));
    const data = JSON.parse(/data: (.*)/.exec(frame)![1]!) as RegistryEvent;
    expect(data).toMatchObject({ id: 4, type: "instance_registered", service_name: "parts", url: "http://127.0.0.1:9200" });
    expect(frame).toContain("id: 4");
    expect(subscribers).toBe(1);

    await reader.cancel();
    await expect.poll(() => subscribers).toBe(0);
  });
});

describe("health and errors", () => {
  test("GET /health reports the registry and service counts", async () => {
    const { app } = await setup();
    const response = await app.request("/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", service: "registry", services: { total: 2, healthy: 1, degraded: 0, down: 1 } });
  });

  test("unknown routes and methods are 404 JSON", async () => {
    const { app } = await setup();
    for (const [method, path] of [
      ["GET", "/nope"],
      ["PUT", "/register"],
      ["POST", "/services"],
    ] as const) {
      const response = await app.request(path, { method });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: "NOT_FOUND", message: `No route for ${method} ${path}`, details: null } });
    }
  });
});
