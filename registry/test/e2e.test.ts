import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createServiceRegistry, silentLogger, type RegistryEvent, type ServiceRegistry, type ServiceSnapshot } from "../src/index.js";
import { runEntry, spawnEntry, type SpawnedEntry } from "./spawn-entry.js";

const UNHEALTHY_THRESHOLD = 2;
const MCP_ENTRY = "mcp-servers/inventory/src/http.ts";
const AGENT_ENTRY = "agent-services/inventory/src/main.ts";
const REGISTRY_ENTRY = "registry/src/main.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `read` returns a value that passes `accept`; the last value is in the failure message. */
async function eventually<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await sleep(100);
  }
}

/** Reads the registry's Server-Sent Events stream in the background. */
function followEvents(registryUrl: string): { events: RegistryEvent[]; close(): void } {
  const events: RegistryEvent[] = [];
  const controller = new AbortController();
  void (async () => {
    const response = await fetch(`${registryUrl}/events/stream?after=0`, { signal: controller.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame.split("\n").find((line) => line.startsWith("data: "));
        if (data) events.push(JSON.parse(data.slice("data: ".length)) as RegistryEvent);
      }
    }
  })().catch(() => {
    // Aborted at the end of the suite, or the registry stopped: either ends the stream.
  });
  return { events, close: () => controller.abort() };
}

describe("registry end to end: inventory MCP server, two self-registering inventory agents, the registry process", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "switchyard-registry-e2e-"));
  const children: SpawnedEntry[] = [];
  let mcpUrl: string;
  let registry: SpawnedEntry;
  let agentA: SpawnedEntry;
  let agentB: SpawnedEntry;
  let agentAPort: string;
  let stream: ReturnType<typeof followEvents>;
  let library: ServiceRegistry;

  function startAgent(name: string, port: string): Promise<SpawnedEntry> {
    return spawnEntry(AGENT_ENTRY, {
      INVENTORY_AGENT_PORT: port,
      INVENTORY_MCP_URL: mcpUrl,
      DATA_DIR: join(dataDir, name),
      REGISTRY_URL: registry.url,
      REGISTRY_TTL_SECONDS: "30",
    }).then((agent) => {
      children.push(agent);
      return agent;
    });
  }

  async function inventoryService(): Promise<ServiceSnapshot> {
    const response = await fetch(`${registry.url}/services/inventory`);
    if (response.status === 404) return { name: "inventory", status: "down", instances: [], capabilities: null, capabilities_updated_at: null };
    expect(response.status).toBe(200);
    return (await response.json()) as ServiceSnapshot;
  }

  const statusOf = (service: ServiceSnapshot, url: string) => service.instances.find((i) => i.url === url)?.status;

  async function checkInventory(id: string) {
    const result = await library.execute("inventory", { request_id: id, operation: "check_inventory", parameters: { sku: "laptop", quantity: 1 } });
    expect(result.status, JSON.stringify(result.response)).toBe(200);
    expect(result.response).toMatchObject({ request_id: id, success: true, result: { sku: "laptop", sufficient: true } });
    return result;
  }

  beforeAll(async () => {
    const [mcp, registryProcess] = await Promise.all([
      spawnEntry(MCP_ENTRY, { INVENTORY_MCP_PORT: "0", DATA_DIR: join(dataDir, "mcp") }),
      spawnEntry(REGISTRY_ENTRY, {
        REGISTRY_PORT: "0",
        REGISTRY_STATIC_SERVICES: "false",
        HEALTH_CHECK_INTERVAL_MS: "200",
        HEALTH_CHECK_TIMEOUT_MS: "1000",
        UNHEALTHY_THRESHOLD: String(UNHEALTHY_THRESHOLD),
        HEALTHY_THRESHOLD: "1",
        CAPABILITIES_REFRESH_MS: "2000",
      }),
    ]);
    children.push(mcp, registryProcess);
    mcpUrl = mcp.url;
    registry = registryProcess;
    expect(registry.stderr()).toContain("static instances: none (self-registration only)");
    stream = followEvents(registry.url);
    [agentA, agentB] = await Promise.all([startAgent("agent-a", "0"), startAgent("agent-b", "0")]);
    agentAPort = new URL(agentA.url).port;
  }, 120_000);

  afterAll(async () => {
    stream?.close();
    await library?.stop();
    // Every child, even when a test failed half-way; SIGKILL follows if SIGTERM is ignored.
    await Promise.all(children.map((child) => child.stop()));
  });

  test("/services shows both self-registered instances healthy, with the capabilities they publish", async () => {
    const service = await eventually(
      "both agents to be registered and healthy",
      inventoryService,
      (s) => s.instances.length === 2 && s.instances.every((i) => i.status === "healthy") && s.capabilities !== null,
    );
    expect(service.status).toBe("healthy");
    expect(service.instances.map((i) => i.url).sort()).toEqual([agentA.url, agentB.url].sort());
    for (const instance of service.instances) {
      expect(instance).toMatchObject({ source: "registered", consecutive_failures: 0, last_check: expect.any(String), expires_at: expect.any(String) });
    }
    const operations = Object.fromEntries(service.capabilities!.operations.map((o) => [o.name, o]));
    expect(operations.check_inventory).toMatchObject({ kind: "mcp", annotations: { read_only: true } });
    expect(operations.reserve_stock?.compensation).toBe("release_reservation");

    const registered = stream.events.filter((e) => e.type === "instance_registered").map((e) => e.url);
    expect(registered.sort()).toEqual([agentA.url, agentB.url].sort());
  });

  test("requests through the library are shared round-robin over the two instances", async () => {
    // The library is fed from what the registry process discovered.
    const urls = (await inventoryService()).instances.map((i) => i.url);
    library = createServiceRegistry({ staticServices: { inventory: urls }, logger: silentLogger, unhealthyThreshold: UNHEALTHY_THRESHOLD });
    await library.checkNow();
    expect(library.service("inventory")?.status).toBe("healthy");

    const servedBy = new Map<string, number>();
    for (let i = 0; i < 10; i += 1) {
      const result = await checkInventory(`shared-${i}`);
      expect(result.failedAttempts).toEqual([]);
      servedBy.set(result.instanceUrl, (servedBy.get(result.instanceUrl) ?? 0) + 1);
    }
    expect(servedBy.get(agentA.url)).toBe(5);
    expect(servedBy.get(agentB.url)).toBe(5);
  });

  test("a killed agent is marked unhealthy within the threshold, and requests keep succeeding by failover", async () => {
    // A crash: no deregistration, so the registry must notice through its health checks.
    expect(await agentA.stop("SIGKILL")).toBeNull();

    // The library has no timer running, so its next requests still go to the dead instance first.
    const results = [];
    for (let i = 0; i < 6; i += 1) results.push(await checkInventory(`failover-${i}`));
    expect(results.every((r) => r.instanceUrl === agentB.url)).toBe(true);
    const failedOver = results.filter((r) => r.failedAttempts.length > 0);
    expect(failedOver).toHaveLength(UNHEALTHY_THRESHOLD);
    for (const r of failedOver) expect(r.failedAttempts).toEqual([{ url: agentA.url, error: expect.stringMatching(/fetch failed/) }]);
    expect(library.service("inventory")?.instances.find((i) => i.url === agentA.url)).toMatchObject({ status: "unhealthy", consecutive_failures: UNHEALTHY_THRESHOLD });

    const service = await eventually("the registry to mark the killed agent unhealthy", inventoryService, (s) => statusOf(s, agentA.url) === "unhealthy");
    expect(service.status).toBe("degraded");
    expect(statusOf(service, agentB.url)).toBe("healthy");
    const dead = service.instances.find((i) => i.url === agentA.url)!;
    expect(dead.consecutive_failures).toBeGreaterThanOrEqual(UNHEALTHY_THRESHOLD);
    expect(dead.last_error).toMatch(/fetch failed/);

    const events = (await (await fetch(`${registry.url}/events`)).json()) as { events: RegistryEvent[] };
    const down = events.events.filter((e) => e.type === "instance_down");
    expect(down).toEqual([
      expect.objectContaining({ url: agentA.url, data: expect.objectContaining({ consecutive_failures: UNHEALTHY_THRESHOLD, cause: "health_check", previous_status: "healthy" }) }),
    ]);
    await eventually("the down event on the SSE stream", async () => stream.events.some((e) => e.type === "instance_down" && e.url === agentA.url), Boolean);

    // While it is down, every request is served by the survivor without a failed attempt.
    for (let i = 0; i < 4; i += 1) expect((await checkInventory(`survivor-${i}`)).failedAttempts).toEqual([]);
  });

  test("restarting the agent on its port brings it back to healthy, and requests are shared again", async () => {
    agentA = await startAgent("agent-a", agentAPort);
    const service = await eventually("the restarted agent to be healthy", inventoryService, (s) => statusOf(s, agentA.url) === "healthy");
    expect(service.status).toBe("healthy");
    expect(service.instances).toHaveLength(2);

    await eventually("the library to see it healthy", async () => (await library.checkNow()).services[0]!.status, (status) => status === "healthy");
    const servedBy = new Set<string>();
    for (let i = 0; i < 4; i += 1) servedBy.add((await checkInventory(`recovered-${i}`)).instanceUrl);
    expect(servedBy).toEqual(new Set([agentA.url, agentB.url]));
    await eventually("the up event on the SSE stream", async () => stream.events.filter((e) => e.type === "instance_up" && e.url === agentA.url).length, (n) => n === 2);
  });

  test("an agent that shuts down gracefully deregisters and is removed", async () => {
    expect(await agentB.stop("SIGTERM")).toBe(0);
    const service = await eventually("the stopped agent to be removed", inventoryService, (s) => s.instances.length === 1);
    expect(service.instances[0]).toMatchObject({ url: agentA.url, status: "healthy" });
    expect(stream.events.find((e) => e.type === "instance_removed")).toMatchObject({ url: agentB.url, data: { reason: "deregistered" } });
  });

  test("the registry exits 0 on SIGTERM, with an event stream still open", async () => {
    expect(await registry.stop("SIGTERM")).toBe(0);
    expect(registry.stderr()).toContain("SIGTERM received, shutting down");
  });
});

describe("registry entry with a bad configuration", () => {
  test("prints which variable is wrong and exits 1", async () => {
    const { code, stderr } = await runEntry(REGISTRY_ENTRY, { REGISTRY_PORT: "eighty", UNHEALTHY_THRESHOLD: "0" });
    expect(code).toBe(1);
    expect(stderr).toContain("[registry] Invalid registry configuration: REGISTRY_PORT must be a whole number between 0 and 65535; UNHEALTHY_THRESHOLD must be at least 1");
  });
});
