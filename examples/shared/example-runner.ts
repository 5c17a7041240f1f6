import { parseArgs } from "node:util";
import type { WorkflowEvent, WorkflowView } from "@switchyard/orchestrator";
import { z } from "zod";
import { OrchestratorClient, OrchestratorHttpError, StackNotRunningError } from "./orchestrator-client.js";

const environment = z
  .object({ SWITCHYARD_URL: z.url({ protocol: /^https?$/ }).optional() })
  .safeParse(process.env);

const marks: Record<string, string> = { succeeded: "✅", failed: "❌", skipped: "⏭️", running: "⏳", pending: "⏸️" };

/** What an example script gets: the client, printing, following a request, and outcome checks. */
export interface ExampleContext {
  client: OrchestratorClient;
  say(line?: string): void;
  /** Sends a request, prints its plan, live step events and summary, and returns the finished workflow. */
  follow(userRequest: string): Promise<WorkflowView>;
  /** Records one check of the outcome and prints it; returns whether it held. */
  check(description: string, holds: boolean, detail?: string): boolean;
}

/** One runnable story. */
export interface ExampleDefinition {
  /** e.g. "retail"; used in messages. */
  name: string;
  /** What the script does, shown by --help under the usage line. */
  description: string;
  run(context: ExampleContext): Promise<void>;
}

/**
 * Runs an example as a command: `--url` (default `$SWITCHYARD_URL`, else
 * http://127.0.0.1:8086) and `--help`. Exits 0 when every check held, 1 when one did not,
 * 2 on a usage error or when the stack is not running.
 */
export async function runExample(definition: ExampleDefinition): Promise<never> {
  const usage = `Usage: npx tsx examples/${definition.name}/run.ts [--url <orchestrator url>]

${definition.description}

Start the stack first with \`npm start\` (in another terminal).

Options:
  --url <url>   the orchestrator (default: $SWITCHYARD_URL or http://127.0.0.1:8086)
  -h, --help    show this help

Exit status: 0 when every check of the outcome held, 1 when one did not, 2 when the
stack is not running or the options are wrong.`;
  const stop = (code: number, message?: string): never => {
    if (message) process.stderr.write(`${definition.name}: ${message}\n`);
    process.exit(code);
  };
  if (!environment.success) stop(2, `SWITCHYARD_URL must be an http(s) URL: ${environment.error.issues.map((i) => i.message).join("; ")}`);
  let values: { url?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ options: { url: { type: "string" }, help: { type: "boolean", short: "h" } } }));
  } catch (error) {
    return stop(2, `${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return stop(0);
  }
  const baseUrl = values.url ?? environment.data?.SWITCHYARD_URL ?? "http://127.0.0.1:8086";
  if (!z.url({ protocol: /^https?$/ }).safeParse(baseUrl).success) return stop(2, `--url "${baseUrl}" is not an http(s) URL`);

  const client = new OrchestratorClient(baseUrl);
  const say = (line = "") => process.stdout.write(`${line}\n`);
  const checks: Array<{ description: string; holds: boolean }> = [];
  const context: ExampleContext = {
    client,
    say,
    check(description, holds, detail) {
      checks.push({ description, holds });
      say(`${holds ? "✔" : "✘"} ${description}${!holds && detail ? ` (${detail})` : ""}`);
      return holds;
    },
    async follow(userRequest) {
      say(`\n▶ "${userRequest}"`);
      const workflow = await client.run(userRequest, { onEvent: (event) => printEvent(client, event, say) });
      if (workflow.status === "rejected") say(`Rejected: ${workflow.error ?? "planning failed"}`);
      else say(`\n${workflow.final_result ?? ""}`);
      say(`(request ${workflow.request_id}: ${workflow.status}; model calls: ${workflow.llm_usage.calls})\n`);
      return workflow;
    },
  };

  try {
    const health = await client.health();
    say(`Orchestrator at ${baseUrl}: ${health.status}, planner ${health.planner}, healthy services: ${health.healthy_services.join(", ") || "none"}`);
    await definition.run(context);
  } catch (error) {
    if (error instanceof StackNotRunningError) return stop(2, error.message);
    if (error instanceof OrchestratorHttpError) return stop(1, `the orchestrator refused a request: ${error.message}`);
    return stop(1, error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  const failed = checks.filter((c) => !c.holds);
  if (checks.length === 0) return stop(1, "the example made no checks");
  if (failed.length > 0) return stop(1, `${failed.length} of ${checks.length} checks failed: ${failed.map((c) => c.description).join("; ")}`);
  say(`${definition.name}: all ${checks.length} checks passed`);
  return stop(0);
}

async function printEvent(client: OrchestratorClient, event: WorkflowEvent, say: (line?: string) => void): Promise<void> {
  const data = (event.data ?? {}) as { attempts?: number; error?: { message?: string } | null; action?: string; turn?: number; success?: boolean; operation?: string };
  if (event.type === "plan_ready") {
    const plan = (await client.workflow(event.workflow_id)).workflow_plan;
    if (!plan) return;
    say(`Plan ${plan.plan_id} (${plan.execution_steps.length} steps):`);
    for (const step of plan.execution_steps) {
      const after = step.dependencies.length ? ` after ${step.dependencies.join(", ")}` : "";
      const group = step.parallel_group ? ` [parallel group ${step.parallel_group}]` : "";
      say(`  ${step.step_order}. ${step.step_id}: ${step.service_name}.${step.operation}${after}${group}`);
    }
  } else if (event.type === "plan_invalid") {
    say("  the validator rejected a plan; the model is repairing it");
  } else if (event.type.startsWith("step_") && event.type !== "step_running") {
    const status = event.type.slice("step_".length);
    const attempts = data.attempts && data.attempts > 1 ? ` after ${data.attempts} attempts` : "";
    say(`  ${marks[status] ?? "•"} ${event.step_id} ${status}${attempts}${data.error?.message ? `: ${data.error.message}` : ""}`);
  } else if (event.type === "react_turn") {
    say(`  🤔 turn ${data.turn}: ${data.action}`);
  } else if (event.type === "compensation") {
    say(`  ↩️ compensation ${data.operation ?? ""} for ${event.step_id ?? "an earlier action"}: ${data.success ? "done" : "failed"}`);
  }
}
