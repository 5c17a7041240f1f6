/**
 * `npm run bench`: the default comparison in one run (see --help). Not a test: it prints
 * figures and saves them under results/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, platform, release, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { OrchestratorResponse } from "@switchyard/orchestrator";
import { z } from "zod";
import { launchStackOnFreePorts, repositoryRoot, type LlmMode, type RunningStack } from "../../scripts/stack-launcher.js";
import { automotiveCounts } from "./automotive-data.js";
import { benchMarkdown, benchTable, type BenchResult } from "./bench-report.js";
import { parallelismOf, type ParallelismFigures } from "./critical-path.js";
import type { ConsistencyReport } from "./experiment-types.js";
import { measureMcpHops } from "./mcp-hop.js";
import { orderRequestText, orderThroughOrchestrator, orderWithoutLlm, postOrchestrate, type MeasuredRequest } from "./order-workloads.js";
import { progressPrinter, runPool } from "./request-pool.js";
import { checkRetailConsistency, setInitialStock } from "./retail-data.js";
import { median, summarizeLatency } from "./statistics.js";

const usage = `Usage: npm run bench -- [options]

Runs Switchyard's default comparison in one go (a few minutes on 2 cores) and prints a table:
orchestrator overhead vs the hard-coded msa baseline (ratio of medians), plan-llm vs react on the
4-step automotive workflow at equal simulated LLM latency, critical-path efficiency of that
plan's parallel steps, MCP hop overhead, workflows per second at saturation, and consistency
failures (must be 0). Two fresh stacks on free loopback ports; only loopback traffic.
Also saves results/bench.json and results/bench.md.

Options:
  --samples <n>              sequential requests per latency figure (default 40)
  --saturation-requests <n>  orders per concurrency level of the saturation run (default 160)
  --hop-samples <n>          calls per rung of the MCP hop ladder (default 300)
  --llm-latency-ms <ms>      latency of the simulated LLM per call (default 250)
  --out <dir>                output folder (default: results/ in the checkout)
  --verbose                  echo the services' logs
  -h, --help                 show this help`;

const integer = (min: number, max: number) => z.coerce.number().int("must be a whole number").min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const schema = z.object({
  samples: integer(5, 10_000).default(40),
  "saturation-requests": integer(10, 100_000).default(160),
  "hop-samples": integer(10, 100_000).default(300),
  "llm-latency-ms": integer(0, 600_000).default(250),
  out: z.string().min(1).optional(),
  verbose: z.boolean().default(false),
  help: z.boolean().default(false),
});

let parsed: z.infer<typeof schema>;
try {
  const { values } = parseArgs({
    options: {
      samples: { type: "string" },
      "saturation-requests": { type: "string" },
      "hop-samples": { type: "string" },
      "llm-latency-ms": { type: "string" },
      out: { type: "string" },
      verbose: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const checked = schema.safeParse(values);
  if (!checked.success) throw new Error(checked.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; "));
  parsed = checked.data;
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n\nRun with --help for the options.\n`);
  process.exit(2);
}
if (parsed.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

const settings = {
  samples: parsed.samples,
  saturation_requests: parsed["saturation-requests"],
  saturation_concurrency: [8, 32],
  hop_samples: parsed["hop-samples"],
  llm_latency_ms: parsed["llm-latency-ms"],
  retail_stock: 1_000_000,
  retail_quantity: 1,
};
const outDir = resolve(parsed.out ?? join(repositoryRoot, "results"));
const write = (line: string) => process.stdout.write(`${line}\n`);
const runId = `bench-${Date.now().toString(36)}`;
const automotiveRequest = "Add part 1234 to RO 1234 and send a payment link of $100 to jordan.lee@example.com";

let current: { stack?: RunningStack; dataDir: string } | undefined;
const onSignal = () => {
  write("bench: interrupted; stopping the stack");
  void (current?.stack?.stop() ?? Promise.resolve()).then(() => process.exit(130));
};
process.once("SIGINT", onSignal);
process.once("SIGTERM", onSignal);

async function withStack<T>(label: string, llm: LlmMode, prepare: (dataDir: string) => void, body: (stack: RunningStack, dataDir: string) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), `switchyard-bench-${label}-`));
  current = { dataDir };
  try {
    prepare(dataDir);
    write(`bench: starting a fresh stack for the ${label} phase (${llm === "simulated" ? `simulated LLM, ${settings.llm_latency_ms} ms per call` : "rule planner"})`);
    current.stack = await launchStackOnFreePorts({
      dataDir,
      llm,
      simulatedLlmLatencyMs: settings.llm_latency_ms,
      faults: { services: {} },
      ...(parsed.verbose ? { log: (name: string, line: string) => write(`  ${name} | ${line}`) } : {}),
    });
    return await body(current.stack, dataDir);
  } finally {
    await current.stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    current = undefined;
  }
}

async function sequence(label: string, count: number, concurrency: number, send: (index: number) => Promise<MeasuredRequest>) {
  const started = performance.now();
  const records = await runPool({
    count,
    concurrency,
    task: send,
    notStarted: () => {
      throw new Error("not reached: the bench never interrupts a pool");
    },
    onProgress: progressPrinter(`bench: ${label}`, write),
  });
  return { records, seconds: (performance.now() - started) / 1000 };
}

const startedAt = new Date();
const retail = await withStack(
  "retail",
  "rules",
  (dataDir) => setInitialStock(dataDir, "laptop", settings.retail_stock),
  async (stack, dataDir) => {
    const order = { sku: "laptop", quantity: settings.retail_quantity };
    const text = orderRequestText(order.quantity, order.sku);
    let n = 0;
    const msa = () => orderWithoutLlm(stack.urls.agents, `${runId}-msa-${(n += 1)}`, order);
    const plan = () => orderThroughOrchestrator(stack.urls.orchestrator, `${runId}-plan-${(n += 1)}`, text, "plan", 120);
    const all: MeasuredRequest[] = [];
    const keep = (run: { records: MeasuredRequest[]; seconds: number }) => {
      all.push(...run.records);
      return run;
    };
    keep(await sequence("warm-up", 20, 1, (i) => (i % 2 === 0 ? msa() : plan())));
    const msaRun = keep(await sequence("msa latency", settings.samples, 1, msa));
    const planRun = keep(await sequence("plan latency", settings.samples, 1, plan));
    const saturation = [];
    for (const concurrency of settings.saturation_concurrency) {
      const run = keep(await sequence(`plan saturation at concurrency ${concurrency}`, settings.saturation_requests, concurrency, plan));
      saturation.push({ mode: "plan", concurrency, requests: run.records.length, seconds: run.seconds, per_second: run.records.length / run.seconds, failed: run.records.filter((r) => r.outcome !== "succeeded").length });
    }
    const concurrency = settings.saturation_concurrency.at(-1)!;
    const msaSaturation = keep(await sequence(`msa saturation at concurrency ${concurrency}`, settings.saturation_requests, concurrency, msa));
    saturation.push({ mode: "msa", concurrency, requests: msaSaturation.records.length, seconds: msaSaturation.seconds, per_second: msaSaturation.records.length / msaSaturation.seconds, failed: msaSaturation.records.filter((r) => r.outcome !== "succeeded").length });
    write(`bench: MCP hop ladder, ${settings.hop_samples} calls per rung`);
    const hops = await measureMcpHops({ agent: stack.urls.agents.inventory, mcp: stack.urls.mcp.inventory }, dataDir, settings.hop_samples);
    const succeeded = all.filter((r) => r.outcome === "succeeded").length;
    const consistency = checkRetailConsistency(dataDir, { sku: "laptop", initialStock: settings.retail_stock, succeeded });
    const latency = (run: { records: MeasuredRequest[] }) => summarizeLatency(run.records.map((r) => r.latency_ms));
    return {
      msa: { latency_ms: latency(msaRun), failed: msaRun.records.filter((r) => r.outcome !== "succeeded").length },
      plan: { latency_ms: latency(planRun), failed: planRun.records.filter((r) => r.outcome !== "succeeded").length },
      overhead_ratio: median(planRun.records.map((r) => r.latency_ms)) / median(msaRun.records.map((r) => r.latency_ms)),
      saturation,
      hops,
      requests: all.length,
      unexpected_failures: all.filter((r) => r.outcome !== "succeeded").length,
      consistency,
    };
  },
);

const automotive = await withStack(
  "automotive",
  "simulated",
  () => undefined,
  async (stack, dataDir) => {
    const before = automotiveCounts(dataDir, "1234", "1234");
    const runs: Record<"plan" | "react", Array<{ latency: number; succeeded: boolean; calls: number; tokens: number; parallelism?: ParallelismFigures }>> = { plan: [], react: [] };
    let n = 0;
    const send = async (mode: "plan" | "react", record: boolean) => {
      const answer = await postOrchestrate(stack.urls.orchestrator, `${runId}-auto-${mode}-${(n += 1)}`, automotiveRequest, mode, 120);
      const response = "error" in answer || answer.status !== 200 ? undefined : (answer.body as OrchestratorResponse);
      const paid = response?.execution_results.some((s) => s.operation === "create_payment_link" && s.status === "succeeded") ?? false;
      const entry = {
        latency: answer.latencyMs,
        succeeded: Boolean(response?.success && paid),
        calls: response?.llm_usage.calls ?? 0,
        tokens: response?.llm_usage.total_tokens ?? 0,
        ...(mode === "plan" && response?.workflow_plan ? { parallelism: parallelismOf(response.workflow_plan.execution_steps, response.execution_results) } : {}),
      };
      if (record) runs[mode].push(entry);
      return entry;
    };
    const warmUps = [];
    for (let i = 0; i < 3; i += 1) warmUps.push(await send("plan", false));
    const count = Math.max(5, Math.round(settings.samples / 2));
    const progress = { plan: progressPrinter("bench: automotive plan-llm", write), react: progressPrinter("bench: automotive react", write) };
    for (const mode of ["plan", "react"] as const) {
      for (let i = 0; i < count; i += 1) {
        await send(mode, true);
        progress[mode](i + 1, count);
      }
    }
    const after = automotiveCounts(dataDir, "1234", "1234");
    const succeeded = [...warmUps, ...runs.plan, ...runs.react].filter((r) => r.succeeded).length;
    const checks = [
      { name: "one part line per succeeded workflow", holds: after.part_lines - before.part_lines === succeeded, detail: `${after.part_lines - before.part_lines} lines added, ${succeeded} workflows succeeded` },
      { name: "one payment link per succeeded workflow", holds: after.payment_links - before.payment_links === succeeded, detail: `${after.payment_links - before.payment_links} links created, ${succeeded} workflows succeeded` },
    ];
    const consistency: ConsistencyReport = { checks, violations: checks.filter((c) => !c.holds).length, data: { ...after, succeeded } };
    const summary = (mode: "plan" | "react") => ({
      latency_ms: summarizeLatency(runs[mode].map((r) => r.latency)),
      llm_calls_per_workflow: median(runs[mode].map((r) => r.calls)),
      tokens_per_workflow: median(runs[mode].map((r) => r.tokens)),
      failed: runs[mode].filter((r) => !r.succeeded).length,
    });
    const figures = runs.plan.map((r) => r.parallelism).filter((p): p is ParallelismFigures => p !== undefined);
    const pick = (key: keyof ParallelismFigures) => Math.round(median(figures.map((f) => f[key])) * 1000) / 1000;
    return {
      plan_llm: summary("plan"),
      react: summary("react"),
      react_over_plan_llm: median(runs.react.map((r) => r.latency)) / median(runs.plan.map((r) => r.latency)),
      parallelism: { workflows: figures.length, wall_ms: pick("wall_ms"), sum_ms: pick("sum_ms"), critical_path_ms: pick("critical_path_ms"), efficiency: pick("efficiency"), speedup: pick("speedup") },
      consistency,
    };
  },
);

const result: BenchResult = {
  settings,
  environment: { node: process.version, platform: `${platform()} ${release()}`, cpus: cpus().length, cpu_model: cpus()[0]?.model.trim() ?? "unknown" },
  started_at: startedAt.toISOString(),
  finished_at: new Date().toISOString(),
  retail,
  automotive,
  consistency_failures: retail.consistency.violations + automotive.consistency.violations,
};
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "bench.json"), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(join(outDir, "bench.md"), benchMarkdown(result));
write("");
write(benchTable(result));
write("");
write(`bench: wrote ${join(outDir, "bench.json")} and ${join(outDir, "bench.md")}`);
if (result.consistency_failures > 0) {
  for (const check of [...retail.consistency.checks, ...automotive.consistency.checks].filter((c) => !c.holds)) write(`bench: ✘ ${check.name} (${check.detail})`);
  process.exit(1);
}
process.exit(0);
