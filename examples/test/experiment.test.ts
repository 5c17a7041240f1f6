import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { ExperimentResult } from "../experiment/experiment-types.js";
import { runScript } from "./support/test-stack.js";

// The experiment must never reach a real model from a test (--llm simulated too).
delete process.env.OPENAI_API_KEY;

async function experiment(args: string[]) {
  const out = mkdtempSync(join(tmpdir(), "switchyard-experiment-"));
  const run = await runScript("examples/experiment/main.ts", ["--out", out, "--llm", "simulated", ...args], {}, 400_000);
  const read = (file: string) => readFileSync(join(out, file), "utf8");
  return { run, out, read, result: () => JSON.parse(read("experiment.json")) as ExperimentResult };
}

describe("npm run experiment", () => {
  test("N=20 in every mode with stock 10 and 2 per order: exactly 5 succeed, 15 are refused, every invariant holds", { timeout: 400_000 }, async () => {
    const { run, read, result } = await experiment(["--requests", "20", "--concurrency", "4", "--stock", "10", "--quantity", "2", "--llm-latency-ms", "20"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    for (const mode of ["msa", "plan", "plan-llm", "react"]) expect(run.stdout).toContain(`${mode}: 20/20 done`);

    const { settings, modes } = result();
    expect(settings).toMatchObject({ requests: 20, concurrency: 4, stock: 10, quantity: 2, llm: "simulated", llm_latency_ms: 20, faults: { services: {} } });
    expect(modes.map((m) => m.mode)).toEqual(["msa", "plan", "plan-llm", "react"]);
    for (const mode of modes) {
      expect(mode.records).toHaveLength(20);
      expect({ mode: mode.mode, succeeded: mode.summary.succeeded, out_of_stock: mode.summary.out_of_stock, failed: mode.summary.failed }).toEqual({
        mode: mode.mode,
        succeeded: 5,
        out_of_stock: 15,
        failed: 0,
      });
      expect(mode.consistency.violations).toBe(0);
      expect(mode.consistency.checks.every((c) => c.holds)).toBe(true);
      expect(mode.consistency.data).toMatchObject({ initial_stock: 10, available: 0, reserved: 0, sold: 10, held_reservations: 0, pending_orders: 0, confirmed_orders: 5 });
      expect(mode.summary.correct_rate).toBe(1);
    }
    const calls = (mode: string) => modes.find((m) => m.mode === mode)!.records.map((r) => r.llm_calls);
    expect(new Set([...calls("msa"), ...calls("plan")])).toEqual(new Set([0]));
    expect(new Set(calls("plan-llm"))).toEqual(new Set([1]));
    // ReAct asks the model once per action plus once for the final answer: at least check, reserve, answer.
    expect(Math.min(...calls("react"))).toBeGreaterThanOrEqual(3);
    expect(modes.find((m) => m.mode === "react")!.records.find((r) => r.outcome === "succeeded")!.llm_calls).toBe(6);
    expect(modes.find((m) => m.mode === "plan-llm")!.summary.tokens_per_workflow).toBeGreaterThan(0);

    const report = read("experiment.md");
    expect(report).toContain("| mode | requests | succeeded | out of stock | failed | correct | p50 ms | p95 ms | p99 ms |");
    for (const mode of ["msa", "plan", "plan-llm", "react"]) expect(report).toMatch(new RegExp(`\\| ${mode} \\| 20 \\| 5 \\| 15 \\| 0 \\| 100% \\|`));
    expect(report).toContain("![Latency distribution per mode](experiment-latency.svg)");
    for (const chart of ["experiment-latency.svg", "experiment-outcomes.svg"]) {
      const svg = read(chart);
      expect(svg.startsWith("<svg")).toBe(true);
      for (const mode of ["msa", "plan-llm", "react"]) expect(svg).toContain(mode);
    }
  });

  test("msa with a 5% injected error rate on every service: the invariants hold and every request is accounted for", { timeout: 400_000 }, async () => {
    const { run, result } = await experiment(["--modes", "msa", "--requests", "20", "--concurrency", "4", "--fault-error-rate", "0.05", "--fault-seed", "7"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("faults: inventory: error rate 0.05; order: error rate 0.05");
    const { settings, modes } = result();
    expect(settings.faults).toEqual({
      seed: 7,
      services: Object.fromEntries(["inventory", "order", "payment", "repair-orders", "parts"].map((name) => [name, { errorRate: 0.05, latencyMs: 0, timeoutRate: 0 }])),
    });
    const [{ summary, consistency, records }] = modes as [ExperimentResult["modes"][number]];
    expect(summary.succeeded + summary.out_of_stock + summary.failed).toBe(20);
    expect(summary.succeeded).toBeLessThanOrEqual(5);
    expect(consistency.violations).toBe(0);
    expect(consistency.data.confirmed_orders).toBe(summary.succeeded);
    expect(consistency.data.sold).toBe(2 * summary.succeeded);
    for (const record of records.filter((r) => r.outcome === "failed")) expect(record.reason).toMatch(/INJECTED_FAULT/);
    // The seeded draws put faults early in each service's sequence: the run did meet some,
    // as a failure (check_stock is not retried) or as a retry.
    expect(summary.failed + summary.retries).toBeGreaterThan(0);
  });

  test("plan with 20 ms injected latency on inventory and order: the outcome is unchanged, 5 succeed and 15 are refused", { timeout: 400_000 }, async () => {
    const { run, result } = await experiment(["--modes", "plan", "--requests", "20", "--concurrency", "4", "--fault-latency-ms", "inventory=20,order=20", "--verbose"]);
    expect(run.code).toBe(0);
    // --verbose echoes the services' logs: the faults reached exactly the agents they were meant for.
    for (const agent of ["inventory", "order"]) expect(run.stdout).toContain(`${agent}-agent | [${agent}-agent] fault injection is on: error rate 0, latency 20 ms, timeout rate 0, seed 1`);
    expect(run.stdout).not.toContain("[payment-agent] fault injection is on");
    const [{ summary, consistency }] = result().modes as [ExperimentResult["modes"][number]];
    expect({ succeeded: summary.succeeded, out_of_stock: summary.out_of_stock, failed: summary.failed }).toEqual({ succeeded: 5, out_of_stock: 15, failed: 0 });
    expect(consistency.violations).toBe(0);
  });

  test("--help lists the modes and flags; bad options are clear errors with exit code 2", async () => {
    const help = await runScript("examples/experiment/main.ts", ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: npm run experiment -- [options]");
    for (const flag of ["--modes", "--requests", "--concurrency", "--stock", "--quantity", "--llm-latency-ms", "--fault-error-rate", "--fault-seed", "--out"]) expect(help.stdout).toContain(flag);

    const cases: Array<[string[], string]> = [
      [["--modes", "msa,psychic"], 'unknown mode "psychic"'],
      [["--requests", "0"], "--requests: must be at least 1"],
      [["--fault-error-rate", "warehouse=0.1"], '"warehouse=0.1" is not <service>=<value>'],
      [["--fault-error-rate", "1.5"], '--fault-error-rate: "1.5" must be at most 1'],
      [["--fault-error-rate", "order=0.7", "--fault-timeout-rate", "order=0.6"], "order: the error rate and the timeout rate add up to more than 1"],
    ];
    for (const [args, message] of cases) {
      const run = await runScript("examples/experiment/main.ts", args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });

  test("npm run bench explains itself with --help and refuses a bad option", async () => {
    const help = await runScript("examples/experiment/bench.ts", ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: npm run bench -- [options]");
    const bad = await runScript("examples/experiment/bench.ts", ["--samples", "1"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--samples: must be at least 5");
  });
});
