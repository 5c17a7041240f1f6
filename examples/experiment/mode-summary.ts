import type { ConsistencyReport, ModeSummary, RequestRecord } from "./experiment-types.js";
import { summarizeLatency } from "./statistics.js";

/** The per-mode figures of the report, from the records of its requests. */
export function summarizeMode(records: RequestRecord[], wallSeconds: number, consistency: ConsistencyReport): ModeSummary {
  const count = (outcome: RequestRecord["outcome"]) => records.filter((r) => r.outcome === outcome).length;
  const succeeded = count("succeeded");
  const outOfStock = count("out_of_stock");
  const failureReasons: Record<string, number> = {};
  for (const record of records) if (record.outcome === "failed") failureReasons[record.reason ?? "unknown"] = (failureReasons[record.reason ?? "unknown"] ?? 0) + 1;
  const per = (total: number) => (records.length ? Math.round((total / records.length) * 100) / 100 : 0);
  return {
    requests: records.length,
    succeeded,
    out_of_stock: outOfStock,
    failed: count("failed"),
    success_rate: records.length ? succeeded / records.length : 0,
    correct_rate: records.length ? (succeeded + outOfStock) / records.length : 0,
    latency_ms: summarizeLatency(records.map((r) => r.latency_ms)),
    wall_seconds: Math.round(wallSeconds * 1000) / 1000,
    throughput_per_second: wallSeconds > 0 ? Math.round((records.length / wallSeconds) * 100) / 100 : 0,
    llm_calls_per_workflow: per(records.reduce((s, r) => s + r.llm_calls, 0)),
    tokens_per_workflow: per(records.reduce((s, r) => s + r.total_tokens, 0)),
    retries: records.reduce((s, r) => s + r.retries, 0),
    consistency_violations: consistency.violations,
    failure_reasons: failureReasons,
  };
}
