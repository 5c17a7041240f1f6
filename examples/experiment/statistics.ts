import type { LatencySummary } from "./experiment-types.js";

/** The p-th percentile (0-100) by linear interpolation between closest ranks; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** The median (50th percentile). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** p50, p95, p99, mean, min and max, rounded to 0.1 ms. */
export function summarizeLatency(values: readonly number[]): LatencySummary {
  const round = (n: number) => (Number.isFinite(n) ? Math.round(n * 10) / 10 : Number.NaN);
  const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
  return {
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    p99: round(percentile(values, 99)),
    mean: round(mean),
    min: round(values.length ? Math.min(...values) : Number.NaN),
    max: round(values.length ? Math.max(...values) : Number.NaN),
  };
}

/** A number for a table: "—" when not a number, else at most `digits` decimals. */
export function formatNumber(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return "—";
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}
