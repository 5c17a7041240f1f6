/**
 * `npm run experiment -- [options]`: the experiment runner (see --help).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, platform, release } from "node:os";
import { join } from "node:path";
import { latencyChart, outcomeChart } from "./charts.js";
import { experimentUsage, OptionsError, parseExperimentOptions, type ExperimentOptions } from "./experiment-options.js";
import type { ExperimentResult, ModeResult } from "./experiment-types.js";
import { runMode } from "./mode-runner.js";
import { describeFaults, experimentReport } from "./report-markdown.js";
import { formatNumber } from "./statistics.js";

let options: ExperimentOptions | undefined;
try {
  options = parseExperimentOptions(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof OptionsError)) throw error;
  process.stderr.write(`experiment: ${error.message}\n\nRun with --help for the options.\n`);
  process.exit(2);
}
if (!options) {
  process.stdout.write(`${experimentUsage}\n`);
  process.exit(0);
}

const { settings } = options;
const write = (line: string) => process.stdout.write(`${line}\n`);
const interrupt = new AbortController();
let interrupted = false;
const onSignal = () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  write("experiment: interrupted; finishing the requests in flight and stopping the stack (again to force)");
  interrupt.abort();
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

const startedAt = new Date();
const runId = `exp-${startedAt.getTime().toString(36)}`;
write(
  `experiment: modes ${settings.modes.join(", ")}; ${settings.requests} orders of ${settings.quantity} at concurrency ${settings.concurrency}; stock ${settings.stock}; ` +
    `LLM ${settings.llm === "real" ? options.realLlm : `simulated (${settings.llm_latency_ms} ms per call)`}; faults: ${describeFaults(settings.faults)}`,
);

const modes: ModeResult[] = [];
for (const mode of settings.modes) {
  if (interrupt.signal.aborted) break;
  try {
    const result = await runMode(mode, {
      settings,
      runId,
      write,
      signal: interrupt.signal,
      maxSeconds: options.maxSecondsPerMode,
      keepData: options.keepData,
      ...(options.realLlm ? { realLlm: options.realLlm } : {}),
      ...(options.verbose ? { serviceLog: (name: string, line: string) => write(`  ${name} | ${line}`) } : {}),
    });
    const { data_dir: dataDir, ...kept } = result;
    modes.push(kept);
    const x = result.summary;
    write(
      `${mode}: done: ${x.succeeded} succeeded, ${x.out_of_stock} out of stock, ${x.failed} failed; p50 ${formatNumber(x.latency_ms.p50)} ms, ` +
        `p95 ${formatNumber(x.latency_ms.p95)} ms; ${formatNumber(x.throughput_per_second, 2)} req/s; consistency violations: ${x.consistency_violations}` +
        (dataDir ? `; data kept in ${dataDir}` : ""),
    );
    for (const check of result.consistency.checks.filter((c) => !c.holds)) write(`${mode}: ✘ ${check.name} (${check.detail})`);
  } catch (error) {
    if (interrupt.signal.aborted) break;
    process.stderr.write(`experiment: mode ${mode} could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

const result: ExperimentResult = {
  settings,
  environment: { node: process.version, platform: `${platform()} ${release()}`, cpus: cpus().length, cpu_model: cpus()[0]?.model.trim() ?? "unknown" },
  started_at: startedAt.toISOString(),
  finished_at: new Date().toISOString(),
  modes,
};
mkdirSync(options.outDir, { recursive: true });
const files = {
  json: join(options.outDir, "experiment.json"),
  report: join(options.outDir, "experiment.md"),
  latency: join(options.outDir, "experiment-latency.svg"),
  outcomes: join(options.outDir, "experiment-outcomes.svg"),
};
writeFileSync(files.json, `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(files.latency, latencyChart(modes));
writeFileSync(files.outcomes, outcomeChart(modes));
writeFileSync(files.report, experimentReport(result, { latency: "experiment-latency.svg", outcomes: "experiment-outcomes.svg" }));

write("");
write("mode      succeeded  out of stock  failed  p50 ms    p95 ms    p99 ms    req/s   LLM calls  violations");
for (const m of modes) {
  const x = m.summary;
  write(
    `${m.mode.padEnd(9)} ${String(x.succeeded).padStart(9)}  ${String(x.out_of_stock).padStart(12)}  ${String(x.failed).padStart(6)}  ${formatNumber(x.latency_ms.p50).padStart(8)}  ` +
      `${formatNumber(x.latency_ms.p95).padStart(8)}  ${formatNumber(x.latency_ms.p99).padStart(8)}  ${formatNumber(x.throughput_per_second, 2).padStart(6)}  ${formatNumber(x.llm_calls_per_workflow, 2).padStart(9)}  ${String(x.consistency_violations).padStart(10)}`,
  );
}
write("");
write(`experiment: wrote ${files.json}, ${files.report}, ${files.latency} and ${files.outcomes}`);
process.exit(interrupted ? 130 : 0);
