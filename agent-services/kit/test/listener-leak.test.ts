import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAgentService, type AgentService } from "../src/index.js";
import { answer, fastLimits } from "./support/inventory-agent.js";
import { spawnInventoryMcp, type SpawnedEntry } from "./support/spawn-entry.js";

// Why the real HTTP entry in a child process rather than InMemoryTransport: the leak lives in
// the Streamable HTTP client path (one `abort` listener per fetch on the transport's long-lived
// AbortSignal, released only by garbage collection), which an in-memory transport never runs.
// A separate process also keeps the server's own heap and listeners out of the measurement.
describe("one long-lived MCP client over 10,000 calls", () => {
  const CALLS = 10_000;
  const CONCURRENCY = 10;
  let mcp: SpawnedEntry;
  let service: AgentService;
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);

  beforeAll(async () => {
    const spawned = await spawnInventoryMcp(mkdtempSync(join(tmpdir(), "agent-kit-leak-mcp-")));
    mcp = spawned;
    service = createAgentService({
      serviceName: "inventory",
      version: "0.1.0",
      description: "Retail stock",
      mcp: { url: spawned.mcpUrl },
      dataDir: mkdtempSync(join(tmpdir(), "agent-kit-leak-")),
      // Frequent re-lists run alongside the calls: they must not grow listeners or compiled schemas either.
      limits: { ...fastLimits, maxConcurrency: CONCURRENCY, capabilityRefreshMs: 500 },
      log: () => undefined,
    });
    await service.start();
    process.on("warning", onWarning);
  });

  afterAll(async () => {
    process.off("warning", onWarning);
    await service?.stop();
    await mcp?.stop();
  });

  it("keeps listeners flat, warns about nothing and keeps the heap bounded", { timeout: 300_000 }, async () => {
    const body = JSON.stringify({ request_id: "leak", operation: "check_inventory", parameters: { sku: "laptop", quantity: 1 } });
    const baseline = service.diagnostics();
    const samples: { heapUsed: number; transportSignalListeners: number; lifecycleListeners: number; inFlight: number }[] = [];
    let failures = 0;
    for (let done = 0; done < CALLS; done += CONCURRENCY) {
      const batch = await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => answer(await service.app.request("/execute", { method: "POST", body }))),
      );
      failures += batch.filter((result) => result.status !== 200).length;
      if ((done + CONCURRENCY) % 1_000 === 0) {
        // A timer re-list may be in flight; it has to finish and unlink, or this times out.
        await vi.waitFor(() => expect(service.diagnostics().transportRequestsInFlight + service.diagnostics().workInFlight).toBe(0), {
          timeout: 5_000,
          interval: 5,
        });
        // Collect before sampling so the heap figure is what is still reachable, not garbage.
        (globalThis as { gc?: () => void }).gc?.();
        const diagnostics = service.diagnostics();
        samples.push({
          heapUsed: process.memoryUsage().heapUsed,
          transportSignalListeners: diagnostics.transportSignalListeners,
          lifecycleListeners: diagnostics.lifecycleListeners,
          inFlight: diagnostics.transportRequestsInFlight + diagnostics.workInFlight,
        });
      }
    }
    expect(failures).toBe(0);
    const after = service.diagnostics();
    // Still the first and only connection: every call went through the same long-lived client.
    expect(after.connections).toBe(1);
    // The long-lived signals carry one fan-out listener each, however many calls ran, and
    // between batches nothing may still be linked to them.
    expect(baseline.transportSignalListeners).toBe(1);
    for (const sample of samples) {
      expect(sample.transportSignalListeners).toBe(1);
      expect(sample.lifecycleListeners).toBeLessThanOrEqual(1);
      expect(sample.inFlight).toBe(0);
    }
    expect(warnings.filter((warning) => warning.name === "MaxListenersExceededWarning")).toEqual([]);
    // Compiled JSON Schemas are cached by content, not once per call or per re-list.
    expect(after.compiledSchemas).toBeLessThanOrEqual(2 * 8);
    // Samples follow a full gc() (vitest runs workers with --expose-gc): a leak of 2 KB per call
    // over the 9,000 calls between the samples would exceed this bound.
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe("function");
    const first = samples[0]!.heapUsed;
    const last = samples.at(-1)!.heapUsed;
    expect(last - first).toBeLessThan(16 * 1024 * 1024);
    process.stderr.write(`heap after 1,000 calls ${(first / 2 ** 20).toFixed(1)} MB, after ${CALLS}: ${(last / 2 ** 20).toFixed(1)} MB\n`);
  });
});
