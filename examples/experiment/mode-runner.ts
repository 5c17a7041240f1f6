/**
 * Runs one mode of the experiment on a fresh stack: new data folder with the configured
 * stock, the stack launched on free ports, N orders at the configured concurrency, the
 * invariants checked on the services' data, the stack stopped.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchStackOnFreePorts, type LlmMode, type RunningStack } from "../../scripts/stack-launcher.js";
import type { ExperimentMode, ExperimentSettings, ModeResult, RequestRecord } from "./experiment-types.js";
import { summarizeMode } from "./mode-summary.js";
import { orderRequestText, orderThroughOrchestrator, orderWithoutLlm, type MeasuredRequest } from "./order-workloads.js";
import { progressPrinter, runPool } from "./request-pool.js";
import { checkRetailConsistency, setInitialStock } from "./retail-data.js";

/** How to run one mode: the settings, where progress goes, and the bounds. */
export interface ModeRunOptions {
  settings: ExperimentSettings;
  /** Prefix of every request id. */
  runId: string;
  /** Progress lines. */
  write: (line: string) => void;
  /** The services' own log lines; discarded when absent. */
  serviceLog?: (processName: string, line: string) => void;
  /** Aborting stops starting requests and stops the stack. */
  signal?: AbortSignal;
  /** The longest a mode may send requests (default 20 minutes); later requests are not started. */
  maxSeconds?: number;
  /** Keep the data folder for inspection (its path is in the result). */
  keepData?: boolean;
  /** Describes the real LLM endpoint when `settings.llm` is "real". */
  realLlm?: string;
}

/** The planner a mode uses, for the stack launcher and the report. */
export function plannerOf(mode: ExperimentMode, settings: ExperimentSettings, realLlm = "the configured OpenAI-compatible endpoint"): { llm: LlmMode; description: string } {
  if (mode === "msa") return { llm: "rules", description: "none: hard-coded TypeScript workflow calling the agent services" };
  if (mode === "plan") return { llm: "rules", description: "orchestrator, rule planner" };
  const model = settings.llm === "real" ? realLlm : `simulated LLM, ${settings.llm_latency_ms} ms per call`;
  return { llm: settings.llm === "real" ? "auto" : "simulated", description: `orchestrator${mode === "react" ? " in ReAct mode" : ""}, ${model}` };
}

/** Waits (bounded) until the orchestrator runs no workflow, so the data is checked at rest. */
async function waitUntilIdle(stack: RunningStack, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const busy = await Promise.all(
      ["planning", "running"].map(async (status) => {
        const response = await fetch(`${stack.urls.orchestrator}/workflows?status=${status}&limit=1`);
        return ((await response.json()) as { workflows: unknown[] }).workflows.length > 0;
      }),
    );
    if (!busy.includes(true)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs one mode on a fresh stack and returns its records, summary and consistency report. */
export async function runMode(mode: ExperimentMode, options: ModeRunOptions): Promise<ModeResult & { data_dir: string | null }> {
  const { settings, write } = options;
  const dataDir = mkdtempSync(join(tmpdir(), `switchyard-${mode}-`));
  const planner = plannerOf(mode, settings, options.realLlm);
  let stack: RunningStack | undefined;
  try {
    setInitialStock(dataDir, settings.sku, settings.stock);
    write(`${mode}: starting a fresh stack (${planner.description}; data in ${dataDir})`);
    stack = await launchStackOnFreePorts({
      dataDir,
      llm: planner.llm,
      simulatedLlmLatencyMs: settings.llm_latency_ms,
      faults: settings.faults,
      ...(options.serviceLog ? { log: options.serviceLog } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const running = stack;
    const text = orderRequestText(settings.quantity, settings.sku);
    const deadline = AbortSignal.timeout((options.maxSeconds ?? 1_200) * 1000);
    const stopStarting = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    const tally = { succeeded: 0, out_of_stock: 0, failed: 0 };
    const startedAt = new Date();
    const t0 = performance.now();
    const send = (index: number): Promise<MeasuredRequest> => {
      const requestId = `${options.runId}-${mode}-${index}`;
      return mode === "msa"
        ? orderWithoutLlm(running.urls.agents, requestId, { sku: settings.sku, quantity: settings.quantity })
        : orderThroughOrchestrator(running.urls.orchestrator, requestId, text, mode, settings.request_timeout_seconds);
    };
    write(`${mode}: ${settings.requests} × "${text}" at concurrency ${settings.concurrency}`);
    const records = await runPool<RequestRecord>({
      count: settings.requests,
      concurrency: settings.concurrency,
      signal: stopStarting,
      task: async (index) => {
        const started = performance.now() - t0;
        const measured = await send(index);
        tally[measured.outcome] += 1;
        return { index, started_ms: Math.round(started * 10) / 10, ...measured, latency_ms: Math.round(measured.latency_ms * 10) / 10 };
      },
      notStarted: (index) => ({
        index,
        request_id: `${options.runId}-${mode}-${index}`,
        started_ms: performance.now() - t0,
        latency_ms: 0,
        outcome: "failed",
        reason: "client: NOT_STARTED",
        detail: options.signal?.aborted ? "the run was interrupted" : `the mode ran out of its ${options.maxSeconds ?? 1_200} s`,
        llm_calls: 0,
        prompt_tokens: 0,
        completion_tokens: 0,
        total_tokens: 0,
        steps: 0,
        retries: 0,
        compensations: 0,
      }),
      onProgress: progressPrinter(mode, write, () => `${tally.succeeded} succeeded, ${tally.out_of_stock} out of stock, ${tally.failed} failed`),
    });
    const wallSeconds = (performance.now() - t0) / 1000;
    if (mode !== "msa") await waitUntilIdle(running, 60_000);
    const consistency = checkRetailConsistency(dataDir, { sku: settings.sku, initialStock: settings.stock, succeeded: tally.succeeded });
    const summary = summarizeMode(records, wallSeconds, consistency);
    return { mode, planner: planner.description, records, consistency, summary, started_at: startedAt.toISOString(), data_dir: options.keepData ? dataDir : null };
  } finally {
    await stack?.stop();
    if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
  }
}
