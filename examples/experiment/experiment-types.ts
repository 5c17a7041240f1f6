import type { ServiceName } from "../../scripts/stack.js";
import type { ServiceFaults } from "../../scripts/stack-launcher.js";

/** The four ways the experiment carries out an order. */
export const experimentModes = ["msa", "plan", "plan-llm", "react"] as const;
export type ExperimentMode = (typeof experimentModes)[number];

/** What became of one request. */
export type Outcome = "succeeded" | "out_of_stock" | "failed";

/** One request of a run, as measured by the client. */
export interface RequestRecord {
  index: number;
  request_id: string;
  /** When it started, in ms since the mode's first request. */
  started_ms: number;
  latency_ms: number;
  outcome: Outcome;
  /** Why it did not succeed (`<step>: <code>` or the orchestrator's error), null on success. */
  reason: string | null;
  detail: string | null;
  llm_calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** Steps (or ReAct actions) that ran. */
  steps: number;
  /** Attempts beyond the first, over every step. */
  retries: number;
  compensations: number;
}

/** One invariant of the services' data after a run. */
export interface InvariantCheck {
  name: string;
  holds: boolean;
  detail: string;
}

/** The invariants checked after a run and how many failed. */
export interface ConsistencyReport {
  checks: InvariantCheck[];
  violations: number;
  /** The numbers the checks were made on. */
  data: Record<string, number>;
}

/** Latency percentiles of a set of requests, in milliseconds. */
export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** The figures of one mode, as the report shows them. */
export interface ModeSummary {
  requests: number;
  succeeded: number;
  out_of_stock: number;
  failed: number;
  /** Succeeded requests over all requests. */
  success_rate: number;
  /** Requests that ended as the stock allowed (succeeded, or refused as out of stock), over all requests. */
  correct_rate: number;
  latency_ms: LatencySummary;
  wall_seconds: number;
  throughput_per_second: number;
  llm_calls_per_workflow: number;
  tokens_per_workflow: number;
  retries: number;
  consistency_violations: number;
  /** Failure reasons and how often each happened. */
  failure_reasons: Record<string, number>;
}

/** Everything one mode produced. */
export interface ModeResult {
  mode: ExperimentMode;
  /** Which planner or model served it, e.g. "rule planner" or "simulated LLM, 200 ms per call". */
  planner: string;
  records: RequestRecord[];
  consistency: ConsistencyReport;
  summary: ModeSummary;
  started_at: string;
}

/** Faults per service plus their seed, as the run used them. */
export interface FaultSetup {
  services: Partial<Record<ServiceName, ServiceFaults>>;
  seed: number;
}

/** What the run was asked to do. */
export interface ExperimentSettings {
  modes: ExperimentMode[];
  requests: number;
  concurrency: number;
  stock: number;
  quantity: number;
  sku: string;
  llm: "simulated" | "real";
  llm_latency_ms: number;
  faults: FaultSetup;
  request_timeout_seconds: number;
}

/** The whole run, as saved in experiment.json. */
export interface ExperimentResult {
  settings: ExperimentSettings;
  environment: { node: string; platform: string; cpus: number; cpu_model: string };
  started_at: string;
  finished_at: string;
  modes: ModeResult[];
}
