import { afterEach, describe, expect, test } from "vitest";
import {
  createServiceRegistry,
  NoHealthyInstanceError,
  RegistryError,
  type RegistryEvent,
  type RegistryLogger,
  type ServiceRegistry,
  type ServiceRegistryOptions,
} from "../src/index.js";
import { capabilitiesOf, startFakeAgent, waitFor, type FakeAgent } from "./fake-agent.js";

const agents: FakeAgent[] = [];
const registries: ServiceRegistry[] = [];

afterEach(async () => {
  await Promise.all(registries.splice(0).map((registry) => registry.stop()));
  await Promise.all(agents.splice(0).map((agent) => agent.kill()));
});

async function agent(name: string, behaviour: Parameters<typeof startFakeAgent>[2] = {}, service = "inventory"): Promise<FakeAgent> {
  const started = await startFakeAgent(service, name, behaviour);
  agents.push(started);
  return started;
}

interface Harness {
  registry: ServiceRegistry;
  events: RegistryEvent[];
  logs: string[];
}

function harness(options: ServiceRegistryOptions): Harness {
  const events: RegistryEvent[] = [];
  const logs: string[] = [];
  const logger: RegistryLogger = { info: (m) => logs.push(m), warn: (m) => logs.push(m) };
  const registry = createServiceRegistry({ logger, healthCheckTimeoutMs: 1_000, ...options });
  registry.subscribe((event) => events.push(event));
  registries.push(registry);
  return { registry, events, logs };
}

function instance(registry: ServiceRegistry, service: string, url: string) {
  const found = registry.service(service)?.instances.find((i) => i.url === url);
  if (!found) throw new Error(`${url} is not an instance of ${service}`);
  return found;
}

/** With two healthy instances, makes `first` the next one round-robin picks: the pick after the other one's. */
function lineUp(registry: ServiceRegistry, service: string, first: string): void {
  let picked: string;
  do picked = registry.pickInstance(service);
  while (picked === first);
}

const request = (id: string) => ({ request_id: id, operation: "check_inventory", parameters: { sku: "laptop", quantity: 1 } });

describe("health checks", () => {
  test("an instance goes down only after N consecutive failures and comes back after M successes", async () => {
    const a = await agent("a");
    const { registry, events, logs } = harness({ staticServices: { inventory: [a.url] }, unhealthyThreshold: 3, healthyThreshold: 2 });

    await registry.checkNow();
    expect(instance(registry, "inventory", a.url)).toMatchObject({ status: "unknown", consecutive_successes: 1 });
    await registry.checkNow();
    expect(instance(registry, "inventory", a.url)).toMatchObject({ status: "healthy", consecutive_failures: 0, last_error: null });
    expect(instance(registry, "inventory", a.url).last_check).not.toBeNull();
    expect(instance(registry, "inventory", a.url).latency_ms).toBeTypeOf("number");
    expect(events.filter((e) => e.type === "instance_up")).toHaveLength(1);

    a.behaviour.ready = "fail";
    await registry.checkNow();
    await registry.checkNow();
    expect(instance(registry, "inventory", a.url)).toMatchObject({ status: "healthy", consecutive_failures: 2 });
    expect(instance(registry, "inventory", a.url).last_error).toContain("GET /health/ready answered HTTP 503");
    expect(events.filter((e) => e.type === "instance_down")).toHaveLength(0);

    await registry.checkNow();
    expect(instance(registry, "inventory", a.url)).toMatchObject({ status: "unhealthy", consecutive_failures: 3 });
    expect(registry.service("inventory")?.status).toBe("down");
    const down = events.filter((e) => e.type === "instance_down");
    expect(down).toHaveLength(1);
    expect(down[0]).toMatchObject({ service_name: "inventory", url: a.url, data: { consecutive_failures: 3, cause: "health_check", previous_status: "healthy" } });
    expect(logs.some((line) => line.includes(`inventory instance ${a.url} is DOWN after 3 consecutive failures`))).toBe(true);

    // Further failures do not repeat the event.
    await registry.checkNow();
    expect(events.filter((e) => e.type === "instance_down")).toHaveLength(1);

    a.behaviour.ready = "ok";
    await registry.checkNow();
    expect(instance(registry, "inventory", a.url).status).toBe("unhealthy");
    await registry.checkNow();
    expect(instance(registry, "inventory", a.url)).toMatchObject({ status: "healthy", consecutive_failures: 0 });
    const ups = events.filter((e) => e.type === "instance_up");
    expect(ups).toHaveLength(2);
    expect(ups[1]).toMatchObject({ url: a.url, data: { previous_status: "unhealthy" } });
    expect(logs.some((line) => line.includes(`inventory instance ${a.url} is UP (was unhealthy`))).toBe(true);
  });

  test("falls back to /health when /health/ready is missing, and a degraded /health counts as a failure", async () => {
    const a = await agent("a", { ready: "missing" });
    const { registry } = harness({ staticServices: { inventory: [a.url] }, unhealthyThreshold: 1 });
    await registry.checkNow();
    expect(instance(registry, "inventory", a.url).status).toBe("healthy");

    a.behaviour.healthStatus = "degraded";
    await registry.checkNow();
    expect(instance(registry, "inventory", a.url)).toMatchObject({ status: "unhealthy", last_error: 'GET /health reports status "degraded"' });
  });

  test("a probe that outlasts the timeout is a failure", async () => {
    const a = await agent("a", { ready: "slow", delayMs: 1_500 });
    const { registry } = harness({ staticServices: { inventory: [a.url] }, healthCheckTimeoutMs: 100, unhealthyThreshold: 1 });
    await registry.checkNow();
    expect(instance(registry, "inventory", a.url)).toMatchObject({ status: "unhealthy", last_error: "timed out after 100 ms" });
  });

  test("a stopped process is refused and marked down; the timer notices it and its return", async () => {
    const a = await agent("a");
    const { registry, events } = harness({ staticServices: { inventory: [a.url] }, healthCheckIntervalMs: 30 });
    registry.start();
    await waitFor(() => instance(registry, "inventory", a.url).status === "healthy", "the first round");

    await a.kill();
    await waitFor(() => instance(registry, "inventory", a.url).status === "unhealthy", "the instance to be marked down");
    expect(instance(registry, "inventory", a.url).last_error).toMatch(/fetch failed: .*ECONNREFUSED/);
    expect(events.find((e) => e.type === "instance_down")).toMatchObject({ data: { consecutive_failures: 2 } });

    await a.restart();
    await waitFor(() => instance(registry, "inventory", a.url).status === "healthy", "the instance to come back");
    expect(events.map((e) => e.type).filter((t) => t === "instance_up" || t === "instance_down")).toEqual(["instance_up", "instance_down", "instance_up"]);
  });

  test("a listener that throws is reported and does not stop the round", async () => {
    const a = await agent("a");
    const { registry, logs } = harness({ staticServices: { inventory: [a.url] } });
    registry.on("instance_up", () => {
      throw new Error("listener bug");
    });
    await registry.checkNow();
    expect(instance(registry, "inventory", a.url).status).toBe("healthy");
    expect(registry.service("inventory")?.capabilities).not.toBeNull();
    expect(logs).toContain("an event listener threw: listener bug");
  });
});

describe("capability cache", () => {
  test("is loaded when an instance comes up and replaced, with an event, only when the content changes", async () => {
    const a = await agent("a");
    const { registry, events } = harness({ staticServices: { inventory: [a.url] } });
    await registry.checkNow();

    const first = registry.service("inventory")!;
    expect(first.capabilities?.operations.map((o) => o.name)).toEqual(["check_inventory"]);
    expect(first.capabilities_updated_at).not.toBeNull();
    const loaded = events.filter((e) => e.type === "capabilities_changed");
    expect(loaded).toHaveLength(1);
    expect(loaded[0]).toMatchObject({ url: a.url, data: { previous_hash: null, operations: ["check_inventory"], added: ["check_inventory"], removed: [] } });

    // Same content with a new updated_at (as another instance or a restart would stamp) is no change.
    a.behaviour.capabilities = capabilitiesOf("inventory", ["check_inventory"], "2031-01-01T00:00:00.000Z");
    await registry.refreshCapabilities();
    expect(events.filter((e) => e.type === "capabilities_changed")).toHaveLength(1);

    a.behaviour.capabilities = capabilitiesOf("inventory", ["check_inventory", "reserve_stock"]);
    await registry.refreshCapabilities("inventory");
    const changed = events.filter((e) => e.type === "capabilities_changed");
    expect(changed).toHaveLength(2);
    expect(changed[1]).toMatchObject({ data: { added: ["reserve_stock"], removed: [], previous_hash: (loaded[0]!.data as { hash: string }).hash } });
    expect(registry.service("inventory")?.capabilities?.operations.map((o) => o.name)).toEqual(["check_inventory", "reserve_stock"]);
    expect(registry.healthyCapabilities().map((c) => c.service_name)).toEqual(["inventory"]);
  });

  test("an invalid or foreign document is refused and the cache kept", async () => {
    const a = await agent("a");
    const { registry, logs, events } = harness({ staticServices: { inventory: [a.url] } });
    await registry.checkNow();

    a.behaviour.capabilities = capabilitiesOf("payment", ["create_payment_link"]);
    await registry.refreshCapabilities();
    expect(logs.some((l) => l.includes(`could not read capabilities of inventory: ${a.url}: GET /capabilities describes service "payment", not "inventory"`))).toBe(true);

    a.behaviour.capabilities = { service_name: "inventory", operations: [{ name: "x" }] } as never;
    await registry.refreshCapabilities();
    expect(logs.some((l) => l.includes("GET /capabilities returned an invalid document: version:"))).toBe(true);

    expect(registry.service("inventory")?.capabilities?.operations.map((o) => o.name)).toEqual(["check_inventory"]);
    expect(events.filter((e) => e.type === "capabilities_changed")).toHaveLength(1);
  });

  test("is refreshed on the timer and left out of healthyCapabilities while the service is down", async () => {
    const a = await agent("a");
    const b = await agent("b", {}, "payment");
    b.behaviour.capabilities = capabilitiesOf("payment", ["create_payment_link"]);
    const { registry, events } = harness({
      staticServices: { inventory: [a.url], payment: [b.url] },
      healthCheckIntervalMs: 10_000,
      capabilitiesRefreshMs: 30,
      unhealthyThreshold: 1,
    });
    await registry.checkNow();
    expect(registry.healthyCapabilities().map((c) => c.service_name)).toEqual(["inventory", "payment"]);

    registry.start();
    a.behaviour.capabilities = capabilitiesOf("inventory", ["check_inventory", "restock"]);
    await waitFor(() => events.some((e) => e.type === "capabilities_changed" && e.data.added.includes("restock")), "the timed refresh");

    await b.kill();
    await registry.checkNow();
    expect(registry.healthyCapabilities().map((c) => c.service_name)).toEqual(["inventory"]);
    expect(registry.unhealthyServices()).toEqual(["payment"]);
    // The cache is kept for when it comes back.
    expect(registry.service("payment")?.capabilities?.service_name).toBe("payment");
  });
});

describe("selection and failover", () => {
  test("round-robin spreads requests evenly over two healthy instances", async () => {
    const a = await agent("a");
    const b = await agent("b");
    const { registry } = harness({ staticServices: { inventory: [a.url, b.url] } });
    await registry.checkNow();

    const picks = [1, 2, 3, 4].map(() => registry.pickInstance("inventory"));
    expect(picks).toEqual([a.url, b.url, a.url, b.url]);

    const servedBy: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const result = await registry.execute("inventory", request(`rr-${i}`));
      expect(result.status).toBe(200);
      expect(result.response).toMatchObject({ request_id: `rr-${i}`, success: true });
      expect(result.failedAttempts).toEqual([]);
      servedBy.push((result.response.result as { served_by: string }).served_by);
    }
    expect(a.executed).toHaveLength(5);
    expect(b.executed).toHaveLength(5);
    expect(new Set(servedBy)).toEqual(new Set(["a", "b"]));
  });

  test("no request fails when an instance is killed mid-run: they fail over and the instance is marked down", async () => {
    const a = await agent("a");
    const b = await agent("b");
    const { registry, events } = harness({ staticServices: { inventory: [a.url, b.url] }, unhealthyThreshold: 2 });
    await registry.checkNow();

    const results = [];
    for (let i = 0; i < 20; i += 1) {
      if (i === 6) await a.kill();
      results.push(await registry.execute("inventory", request(`kill-${i}`)));
    }
    expect(results.every((r) => r.status === 200 && r.response.success)).toBe(true);
    expect(a.executed).toHaveLength(3);
    expect(b.executed).toHaveLength(17);
    const failedOver = results.filter((r) => r.failedAttempts.length > 0);
    // Two requests reach the dead instance before the threshold of 2 marks it down.
    expect(failedOver).toHaveLength(2);
    for (const r of failedOver) {
      expect(r.instanceUrl).toBe(b.url);
      expect(r.failedAttempts[0]).toMatchObject({ url: a.url });
      expect(r.failedAttempts[0]!.error).toMatch(/fetch failed/);
    }
    expect(instance(registry, "inventory", a.url)).toMatchObject({ status: "unhealthy", consecutive_failures: 2 });
    expect(events.find((e) => e.type === "instance_down")).toMatchObject({ url: a.url, data: { cause: "request" } });
  });

  test("a request cut off in flight by a crash is sent to the other instance", async () => {
    const a = await agent("a", { execute: "hang", delayMs: 10_000 });
    const b = await agent("b");
    const { registry } = harness({ staticServices: { inventory: [a.url, b.url] } });
    await registry.checkNow();

    const pending = registry.execute("inventory", request("in-flight"));
    await waitFor(() => a.executed.length === 1, "the request to reach instance a");
    await a.kill();
    const result = await pending;
    expect(result).toMatchObject({ status: 200, instanceUrl: b.url, response: { success: true, result: { served_by: "b" } } });
    expect(result.failedAttempts).toEqual([{ url: a.url, error: expect.stringMatching(/fetch failed|other side closed|socket/) }]);
  });

  test("502/503 fail over; 422 and 504 are answers returned as they are", async () => {
    const a = await agent("a");
    const b = await agent("b");
    const { registry } = harness({ staticServices: { inventory: [a.url, b.url] }, unhealthyThreshold: 5 });
    await registry.checkNow();

    for (const status of [503, 502] as const) {
      a.behaviour.execute = status;
      lineUp(registry, "inventory", a.url);
      const result = await registry.execute("inventory", request(`s-${status}`));
      expect(result).toMatchObject({ status: 200, instanceUrl: b.url, failedAttempts: [{ url: a.url, status, error: `answered HTTP ${status}` }] });
    }
    expect(instance(registry, "inventory", a.url).consecutive_failures).toBe(2);

    for (const status of [422, 504] as const) {
      a.behaviour.execute = status;
      const bBefore = b.executed.length;
      lineUp(registry, "inventory", a.url);
      const result = await registry.execute("inventory", request(`s-${status}`));
      expect(result).toMatchObject({ status, instanceUrl: a.url, failedAttempts: [], response: { success: false, error: { code: `FAKE_${status}` } } });
      expect(b.executed).toHaveLength(bBefore);
    }
    // Answers are not failures, and they end the run of request failures: the instance serves.
    expect(instance(registry, "inventory", a.url).consecutive_failures).toBe(0);

    // When every instance is unavailable, the last 503 answer is returned with every attempt listed.
    a.behaviour.execute = 503;
    b.behaviour.execute = 503;
    const allDown = await registry.execute("inventory", request("all-503"));
    expect(allDown.status).toBe(503);
    expect(allDown.failedAttempts.map((f) => f.url).sort()).toEqual([a.url, b.url].sort());
    expect(allDown.response.error).toMatchObject({ code: "FAKE_503", retryable: true });
  });

  test("request failures never eject a service's last healthy instance; health checks still can", async () => {
    const a = await agent("a");
    const { registry } = harness({ staticServices: { inventory: [a.url] }, unhealthyThreshold: 2 });
    await registry.checkNow();
    for (let round = 0; round < 5; round += 1) {
      a.behaviour.execute = 503;
      expect((await registry.execute("inventory", request(`fault-${round}`))).status).toBe(503);
      a.behaviour.execute = 200;
      expect((await registry.execute("inventory", request(`ok-${round}`))).status).toBe(200);
    }
    expect(instance(registry, "inventory", a.url)).toMatchObject({ status: "healthy", consecutive_failures: 0 });
    // Even a run of failures only counts: turning every request away would be worse.
    a.behaviour.execute = 503;
    for (const id of ["fault-a", "fault-b", "fault-c"]) expect((await registry.execute("inventory", request(id))).status).toBe(503);
    expect(instance(registry, "inventory", a.url)).toMatchObject({ status: "healthy", consecutive_failures: 3 });
    await a.kill();
    await registry.checkNow();
    expect(instance(registry, "inventory", a.url).status).toBe("unhealthy");
  });

  test("request() sends any path with failover and leaves the body to the caller", async () => {
    const a = await agent("a");
    const b = await agent("b");
    const { registry } = harness({ staticServices: { inventory: [a.url, b.url] } });
    await registry.checkNow();
    await a.kill();
    lineUp(registry, "inventory", a.url);
    const { response, instanceUrl, failedAttempts } = await registry.request("inventory", "/capabilities");
    expect(instanceUrl).toBe(b.url);
    expect(failedAttempts.map((f) => f.url)).toEqual([a.url]);
    expect(((await response.json()) as { service_name: string }).service_name).toBe("inventory");
  });

  test("a caller abort is rethrown at once, without failover or blame", async () => {
    const a = await agent("a", { execute: "hang", delayMs: 5_000 });
    const b = await agent("b");
    const { registry } = harness({ staticServices: { inventory: [a.url, b.url] } });
    await registry.checkNow();
    const controller = new AbortController();
    const pending = registry.execute("inventory", request("abort"), { signal: controller.signal });
    await waitFor(() => a.executed.length === 1, "the request to reach instance a");
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(b.executed).toHaveLength(0);
    expect(instance(registry, "inventory", a.url)).toMatchObject({ status: "healthy", consecutive_failures: 0 });
  });

  test("NoHealthyInstanceError when no instance is healthy, the service is unknown, or every instance fails", async () => {
    const a = await agent("a");
    const b = await agent("b");
    const { registry } = harness({ staticServices: { inventory: [a.url, b.url] }, unhealthyThreshold: 1 });

    // Never checked: unknown is not healthy.
    expect(() => registry.pickInstance("inventory")).toThrow(NoHealthyInstanceError);
    await registry.checkNow();

    await expect(registry.execute("order", request("x"))).rejects.toThrow('Service "order" is not registered (known services: inventory)');

    await a.kill();
    await b.kill();
    // Both still look healthy: the request tries both, then gives up.
    const failure = await registry.execute("inventory", request("all-dead")).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NoHealthyInstanceError);
    expect((failure as NoHealthyInstanceError).attempts.map((f) => f.url).sort()).toEqual([a.url, b.url].sort());
    expect((failure as NoHealthyInstanceError).code).toBe("NO_HEALTHY_INSTANCE");

    await registry.checkNow();
    expect(registry.service("inventory")?.status).toBe("down");
    expect(() => registry.pickInstance("inventory")).toThrow(/Service "inventory" has no healthy instance \(.* unhealthy, .* unhealthy\)/);
    await expect(registry.request("inventory", "/health")).rejects.toBeInstanceOf(NoHealthyInstanceError);
  });
});

describe("registration", () => {
  test("a registration expires when its TTL passes without a heartbeat; heartbeats extend it", async () => {
    let now = Date.parse("2030-01-01T00:00:00.000Z");
    const { registry, events } = harness({ now: () => now });

    const first = registry.register({ service_name: "order", url: "http://127.0.0.1:9/", ttl_seconds: 10 });
    expect(first).toEqual({ service_name: "order", url: "http://127.0.0.1:9", expires_at: "2030-01-01T00:00:10.000Z", source: "registered", renewed: false });
    now += 9_000;
    const heartbeat = registry.register({ service_name: "order", url: "http://127.0.0.1:9", ttl_seconds: 10 });
    expect(heartbeat).toMatchObject({ expires_at: "2030-01-01T00:00:19.000Z", renewed: true });
    now += 9_000;
    expect(registry.service("order")?.instances).toHaveLength(1);
    now += 1_000;
    expect(registry.service("order")?.instances).toEqual([]);
    expect(registry.service("order")?.status).toBe("down");
    expect(events.map((e) => e.type)).toEqual(["instance_registered", "instance_removed"]);
    expect(events[1]).toMatchObject({ url: "http://127.0.0.1:9", data: { reason: "expired" } });

    // Without a TTL the default applies.
    registry.register({ service_name: "order", url: "http://127.0.0.1:9" });
    expect(registry.service("order")?.instances[0]?.expires_at).toBe("2030-01-01T00:00:49.000Z");
  });

  test("a registered agent becomes healthy on the timer and is removed once it stops its heartbeat", async () => {
    const a = await agent("a");
    const { registry, events } = harness({ healthCheckIntervalMs: 30 });
    registry.start();
    registry.register({ service_name: "inventory", url: a.url, ttl_seconds: 0.5 });
    await waitFor(() => registry.service("inventory")?.instances[0]?.status === "healthy", "the registered instance to be healthy");
    expect(registry.service("inventory")?.capabilities?.service_name).toBe("inventory");
    await waitFor(() => events.some((e) => e.type === "instance_removed"), "the registration to expire");
    expect(registry.service("inventory")?.instances).toEqual([]);
    expect(() => registry.pickInstance("inventory")).toThrow('Service "inventory" has no instances');
  });

  test("deregistration removes registered instances only; bad input is refused and changes nothing", async () => {
    const { registry, events } = harness({ staticServices: { payment: ["http://127.0.0.1:8083"] } });
    registry.register({ service_name: "payment", url: "http://127.0.0.1:9001" });
    expect(registry.deregister({ service_name: "payment", url: "http://127.0.0.1:9001/" })).toBe("removed");
    expect(registry.deregister({ service_name: "payment", url: "http://127.0.0.1:9001" })).toBe("not_found");
    expect(registry.deregister({ service_name: "payment", url: "http://127.0.0.1:8083" })).toBe("static");
    expect(registry.deregister({ service_name: "nope", url: "http://127.0.0.1:1" })).toBe("not_found");
    expect(events.at(-1)).toMatchObject({ type: "instance_removed", data: { reason: "deregistered" } });

    // Registering a static URL acknowledges it without making it expire.
    expect(registry.register({ service_name: "payment", url: "http://127.0.0.1:8083" })).toMatchObject({ source: "static", expires_at: null });

    const before = registry.snapshot();
    for (const bad of [
      { service_name: "Payment", url: "http://127.0.0.1:1" },
      { service_name: "payment", url: "ftp://127.0.0.1:1" },
      { service_name: "payment", url: "not a url" },
      { service_name: "payment", url: "http://127.0.0.1:1", ttl_seconds: -1 },
    ]) {
      expect(() => registry.register(bad)).toThrow(RegistryError);
    }
    expect(() => registry.deregister({ service_name: "payment", url: "" })).toThrow("The deregistration is invalid");
    expect(registry.snapshot()).toEqual(before);
  });

  test("invalid options are refused with a clear message", () => {
    expect(() => createServiceRegistry({ staticServices: { inventory: ["localhost:8081"] } })).toThrow('staticServices.inventory: "localhost:8081" is not an absolute http(s) URL');
    expect(() => createServiceRegistry({ staticServices: { "Bad Name": [] } })).toThrow('"Bad Name" is not a valid service name');
    expect(() => createServiceRegistry({ unhealthyThreshold: 0 })).toThrow("unhealthyThreshold must be a positive integer, got 0");
  });

  test("the recent-events list is bounded and can be read after an id", () => {
    const { registry } = harness({ maxRecentEvents: 3 });
    for (let port = 9001; port <= 9005; port += 1) registry.register({ service_name: "parts", url: `http://127.0.0.1:${port}` });
    const recent = registry.recentEvents();
    expect(recent.map((e) => e.id)).toEqual([3, 4, 5]);
    expect(recent.map((e) => e.url)).toEqual(["http://127.0.0.1:9003", "http://127.0.0.1:9004", "http://127.0.0.1:9005"]);
    expect(registry.recentEvents(4).map((e) => e.id)).toEqual([5]);
  });
});
