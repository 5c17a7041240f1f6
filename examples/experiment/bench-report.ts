import type { ParallelismFigures } from "./critical-path.js";
import type { ConsistencyReport, LatencySummary } from "./experiment-types.js";
import type { HopFigure } from "./mcp-hop.js";
import { formatNumber } from "./statistics.js";

/** Everything `npm run bench` measured, as saved in results/bench.json. */
export interface BenchResult {
  settings: {
    samples: number;
    saturation_requests: number;
    saturation_concurrency: number[];
    hop_samples: number;
    llm_latency_ms: number;
    retail_stock: number;
    retail_quantity: number;
  };
  environment: { node: string; platform: string; cpus: number; cpu_model: string };
  started_at: string;
  finished_at: string;
  retail: {
    msa: { latency_ms: LatencySummary; failed: number };
    plan: { latency_ms: LatencySummary; failed: number };
    /** plan p50 / msa p50. */
    overhead_ratio: number;
    saturation: Array<{ mode: string; concurrency: number; requests: number; seconds: number; per_second: number; failed: number }>;
    hops: HopFigure[];
    requests: number;
    unexpected_failures: number;
    consistency: ConsistencyReport;
  };
  automotive: {
    plan_llm: { latency_ms: LatencySummary; llm_calls_per_workflow: number; tokens_per_workflow: number; failed: number };
    react: { latency_ms: LatencySummary; llm_calls_per_workflow: number; tokens_per_workflow: number; failed: number };
    /** react p50 / plan-llm p50. */
    react_over_plan_llm: number;
    parallelism: ParallelismFigures & { workflows: number };
    consistency: ConsistencyReport;
  };
  consistency_failures: number;
}

const ms = (value: number) => `${formatNumber(value, value < 10 ? 2 : 1)} ms`;

/** The rows of the bench table: figure, value, how it was measured. */
function rows(r: BenchResult): Array<[string, string, string]> {
  const s = r.settings;
  const best = r.retail.saturation.filter((x) => x.mode === "plan").sort((a, b) => b.per_second - a.per_second)[0];
  const msaSaturation = r.retail.saturation.find((x) => x.mode === "msa");
  const hop = (rung: string) => r.retail.hops.find((h) => h.rung === rung);
  const p = r.automotive.parallelism;
  return [
    [
      "Orchestrator overhead vs msa",
      `${formatNumber(r.retail.overhead_ratio, 2)}× (plan p50 ${ms(r.retail.plan.latency_ms.p50)} vs msa p50 ${ms(r.retail.msa.latency_ms.p50)})`,
      `${s.samples} sequential "Place an order for ${s.retail_quantity} laptop" each (5 steps); ratio of medians`,
    ],
    [
      "plan-llm vs react, automotive (4 steps)",
      `plan-llm p50 ${ms(r.automotive.plan_llm.latency_ms.p50)} (${formatNumber(r.automotive.plan_llm.llm_calls_per_workflow, 1)} model call) vs react p50 ${ms(r.automotive.react.latency_ms.p50)} (${formatNumber(r.automotive.react.llm_calls_per_workflow, 1)} calls): react ${formatNumber(r.automotive.react_over_plan_llm, 2)}×`,
      `simulated LLM at ${s.llm_latency_ms} ms per call for both; ${Math.max(5, Math.round(s.samples / 2))} sequential workflows each`,
    ],
    [
      "Critical-path efficiency (parallel steps)",
      `${formatNumber(p.efficiency, 2)} (critical path ${ms(p.critical_path_ms)} / wall ${ms(p.wall_ms)}); speed-up ${formatNumber(p.speedup, 2)}× (sum of steps ${ms(p.sum_ms)} / wall)`,
      `medians over ${p.workflows} automotive plans (two reads in parallel, then two writes); wall = first step start to last step end; 1.0 = no time lost between dependent steps`,
    ],
    [
      "MCP hop overhead (check_inventory p50)",
      [hop("agent /execute"), hop("MCP callTool over HTTP"), hop("MCP callTool in-process"), hop("domain function in-process")]
        .filter((h): h is HopFigure => h !== undefined)
        .map((h) => `${h.rung} ${ms(h.p50_ms)}`)
        .join(" · "),
      `${s.hop_samples} sequential calls per rung; agent hop = agent − MCP over HTTP, HTTP transport = MCP over HTTP − in-process MCP`,
    ],
    [
      "Workflows per second at saturation",
      `plan ${formatNumber(best?.per_second ?? Number.NaN, 1)}/s at concurrency ${best?.concurrency ?? "—"}${msaSaturation ? ` (msa ${formatNumber(msaSaturation.per_second, 1)}/s at ${msaSaturation.concurrency})` : ""}`,
      `${s.saturation_requests} orders per level, concurrency ${s.saturation_concurrency.join(" and ")}; completed workflows / wall time`,
    ],
    [
      "Consistency failures",
      `${r.consistency_failures}`,
      `invariants on the services' data after each phase (${r.retail.requests} retail orders, automotive part lines and payment links); must be 0`,
    ],
  ];
}

/** The bench table as Markdown (also what the console shows). */
export function benchTable(r: BenchResult): string {
  return ["| figure | value | measured as |", "|---|---|---|", ...rows(r).map(([a, b, c]) => `| ${a} | ${b} | ${c} |`)].join("\n");
}

/** results/bench.md: the table, the machine, and the details behind each figure. */
export function benchMarkdown(r: BenchResult): string {
  const latencyRow = (name: string, l: LatencySummary) => `| ${name} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} | ${ms(l.mean)} |`;
  const lines = [
    "# Switchyard bench",
    "",
    `${r.started_at}, ${r.environment.cpus} × ${r.environment.cpu_model}, ${r.environment.platform}, Node ${r.environment.node}. Two fresh stacks (retail with the rule planner; automotive with the simulated LLM), every service a separate process on loopback.`,
    "",
    benchTable(r),
    "",
    "## Latencies",
    "",
    "| workload | p50 | p95 | p99 | mean |",
    "|---|---:|---:|---:|---:|",
    latencyRow("retail order, msa (hard-coded)", r.retail.msa.latency_ms),
    latencyRow("retail order, plan (orchestrator, rule planner)", r.retail.plan.latency_ms),
    latencyRow("automotive, plan-llm", r.automotive.plan_llm.latency_ms),
    latencyRow("automotive, react", r.automotive.react.latency_ms),
    "",
    "## MCP hop ladder",
    "",
    "| rung | p50 | p95 | what it is |",
    "|---|---:|---:|---|",
    ...r.retail.hops.map((h) => `| ${h.rung} | ${ms(h.p50_ms)} | ${ms(h.p95_ms)} | ${h.description} |`),
    "",
    "## Saturation",
    "",
    "| mode | concurrency | orders | seconds | workflows/s | not succeeded |",
    "|---|---:|---:|---:|---:|---:|",
    ...r.retail.saturation.map((x) => `| ${x.mode} | ${x.concurrency} | ${x.requests} | ${formatNumber(x.seconds, 2)} | ${formatNumber(x.per_second, 1)} | ${x.failed} |`),
    "",
    "## Consistency",
    "",
    "| invariant | holds | detail |",
    "|---|---|---|",
    ...[...r.retail.consistency.checks, ...r.automotive.consistency.checks].map((c) => `| ${c.name} | ${c.holds ? "✔" : "✘"} | ${c.detail} |`),
    "",
  ];
  return `${lines.join("\n")}\n`;
}
