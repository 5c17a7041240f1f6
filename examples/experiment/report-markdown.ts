import type { ExperimentResult } from "./experiment-types.js";
import { formatNumber } from "./statistics.js";

const percent = (value: number) => `${formatNumber(value * 100, 1)}%`;

/** The faults of a run in words, e.g. "inventory: error rate 0.05; order: latency 20 ms (seed 1)". */
export function describeFaults(faults: ExperimentResult["settings"]["faults"]): string {
  const parts = Object.entries(faults.services).map(([name, f]) =>
    [
      f?.errorRate ? `error rate ${f.errorRate}` : "",
      f?.latencyMs ? `latency ${f.latencyMs} ms` : "",
      f?.timeoutRate ? `timeout rate ${f.timeoutRate}` : "",
    ]
      .filter(Boolean)
      .map((text, i) => (i === 0 ? `${name}: ${text}` : text))
      .join(", "),
  );
  return parts.length ? `${parts.join("; ")} (seed ${faults.seed})` : "none";
}

/** The Markdown report: settings, one row per mode, charts, then failure reasons and invariants per mode. */
export function experimentReport(result: ExperimentResult, charts: { latency: string; outcomes: string }): string {
  const s = result.settings;
  const lines = [
    "# Switchyard experiment",
    "",
    `${s.requests} × "Place an order for ${s.quantity} ${s.sku}${s.quantity === 1 ? "" : "s"}" per mode at concurrency ${s.concurrency}, initial stock ${s.stock}, each mode on a fresh stack.`,
    "",
    "| setting | value |",
    "|---|---|",
    `| started | ${result.started_at} |`,
    `| machine | ${result.environment.cpus} × ${result.environment.cpu_model}, ${result.environment.platform}, Node ${result.environment.node} |`,
    `| LLM | ${s.llm === "real" ? "a real OpenAI-compatible endpoint" : `simulated (real HTTP, OpenAI wire format), ${s.llm_latency_ms} ms per call`} |`,
    `| faults | ${describeFaults(s.faults)} |`,
    `| client timeout | ${s.request_timeout_seconds} s per request |`,
    "",
    "## Results",
    "",
    "| mode | requests | succeeded | out of stock | failed | correct | p50 ms | p95 ms | p99 ms | throughput (req/s) | LLM calls / workflow | tokens / workflow | retries | consistency violations |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...result.modes.map((m) => {
      const x = m.summary;
      return `| ${m.mode} | ${x.requests} | ${x.succeeded} | ${x.out_of_stock} | ${x.failed} | ${percent(x.correct_rate)} | ${formatNumber(x.latency_ms.p50)} | ${formatNumber(x.latency_ms.p95)} | ${formatNumber(x.latency_ms.p99)} | ${formatNumber(x.throughput_per_second, 2)} | ${formatNumber(x.llm_calls_per_workflow, 2)} | ${formatNumber(x.tokens_per_workflow, 0)} | ${x.retries} | ${x.consistency_violations} |`;
    }),
    "",
    "*correct*: the request ended as the stock allowed — the order was confirmed, or refused as out of stock with nothing left behind. *failed*: neither (the reason is below). Latency is measured by the client, from sending the request to the final answer.",
    "",
    `![Latency distribution per mode](${charts.latency})`,
    "",
    `![Outcomes per mode](${charts.outcomes})`,
    "",
  ];
  for (const mode of result.modes) {
    lines.push(`## ${mode.mode}`, "", `Planner: ${mode.planner}.`, "");
    const reasons = Object.entries(mode.summary.failure_reasons).sort((a, b) => b[1] - a[1]);
    if (reasons.length) {
      lines.push("| failure reason | requests |", "|---|---:|", ...reasons.map(([reason, n]) => `| ${reason} | ${n} |`), "");
    }
    lines.push("| invariant | holds | detail |", "|---|---|---|", ...mode.consistency.checks.map((c) => `| ${c.name} | ${c.holds ? "✔" : "✘"} | ${c.detail} |`), "");
  }
  return `${lines.join("\n")}\n`;
}
