import { parseArgs } from "node:util";
import { EventSourceParserStream } from "eventsource-parser/stream";

const defaultUrl = process.env.SWITCHYARD_URL ?? `http://127.0.0.1:${process.env.ORCHESTRATOR_PORT ?? "8086"}`;

const help: Record<string, string> = {
  main: `Usage: switchyard <command> [options]

Talks to a running Switchyard orchestrator (start the stack with \`npm start\`).

Commands:
  orchestrate "<request>"   plan and run a request, showing the plan, live progress and the summary
  workflow <request_id>     show one workflow: plan, steps, timings, results
  workflows                 list recent workflows
  services                  show the agent services, their health and operations

Options for every command:
  --url <url>   orchestrator URL (default: $SWITCHYARD_URL or ${defaultUrl})
  --json        print JSON for scripts instead of text
  -h, --help    help for the command

Run \`switchyard <command> --help\` for a command's own options.`,
  orchestrate: `Usage: switchyard orchestrate "<request>" [--mode plan|react] [--request-id <id>] [--json] [--url <url>]

Plans the request, prints the plan, follows the steps live and prints the execution summary.
Exits 0 when the workflow succeeded, 1 when it failed or was rejected.

Examples:
  switchyard orchestrate "Place an order for 2 laptops"
  switchyard orchestrate "Add part 1234 to RO 1234 and send a payment link of $100 to jordan.lee@example.com"`,
  workflow: `Usage: switchyard workflow <request_id> [--json] [--url <url>]

Shows a workflow's status, plan and every step with its status, attempts, timing and result or error.`,
  workflows: `Usage: switchyard workflows [--status planning|running|succeeded|failed|rejected] [--limit N] [--json] [--url <url>]

Lists recent workflows, newest first.`,
  services: `Usage: switchyard services [--json] [--url <url>]

Shows every agent service the orchestrator knows, its instances and health, and its operations.`,
};

class CliError extends Error {}

const marks: Record<string, string> = { succeeded: "✅", failed: "❌", skipped: "⏭️", running: "⏳", pending: "⏸️" };

async function api(base: string, path: string, init?: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(new URL(path, base), init);
  } catch {
    throw new CliError(`cannot reach the orchestrator at ${base}; is the stack running? Start it with \`npm start\`, or pass --url.`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  if (!response.ok) {
    const error = (body as { error?: { message?: string; details?: unknown } }).error;
    const details = error?.details ? `\n${JSON.stringify(error.details, null, 2)}` : "";
    throw new CliError(`${response.status}: ${error?.message ?? text}${details}`);
  }
  return body;
}

type Step = { step_id: string; step_order: number; service_name: string; operation: string; status: string; attempts: number; duration_ms: number | null; error: { message?: string } | null; dependencies?: string[] };
type Workflow = { request_id: string; status: string; user_request: string; workflow_plan: { plan_id: string; execution_steps: Array<{ step_id: string; step_order: number; service_name: string; operation: string; dependencies: string[]; parallel_group: string | null; failure_handling: string }> } | null; steps: Step[]; final_result: string | null; error: string | null; problems: unknown; llm_usage: { calls: number; total_tokens: number } };

function printPlan(workflow: Workflow): void {
  const plan = workflow.workflow_plan;
  if (!plan) return;
  console.log(`Plan ${plan.plan_id}:`);
  for (const step of plan.execution_steps) {
    const after = step.dependencies.length ? ` after ${step.dependencies.join(", ")}` : "";
    const group = step.parallel_group ? ` [parallel: ${step.parallel_group}]` : "";
    console.log(`  ${step.step_order}. ${step.step_id}: ${step.service_name}.${step.operation}${after}${group} (on failure: ${step.failure_handling})`);
  }
  console.log("");
}

async function orchestrate(base: string, positionals: string[], values: Record<string, unknown>): Promise<number> {
  const request = positionals.join(" ").trim();
  if (!request) throw new CliError(`orchestrate needs a request in quotes.\n\n${help.orchestrate}`);
  const mode = (values.mode as string | undefined) ?? "plan";
  if (mode !== "plan" && mode !== "react") throw new CliError(`--mode must be plan or react, not "${mode}"`);
  const accepted = (await api(base, "/orchestrate-async", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user_request: request, mode, ...(values["request-id"] ? { request_id: values["request-id"] } : {}) }),
  })) as { request_id: string; events_url: string };
  const json = Boolean(values.json);
  if (!json) console.log(`Request ${accepted.request_id} accepted.\n`);

  const response = await fetch(accepted.events_url).catch(() => {
    throw new CliError(`lost the connection to ${base} while following ${accepted.request_id}`);
  });
  if (!response.ok || !response.body) throw new CliError(`cannot follow the workflow: HTTP ${response.status}`);
  const events = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
  for await (const message of events) {
    const event = { event: message.event ?? "message", data: message.data };
    if (json || event.event === "ping") continue;
    const data = JSON.parse(event.data) as { step_id: string | null; data: { attempts?: number; error?: { message?: string } | null; problems?: Array<{ path: string; message: string }> } | null };
    if (event.event === "plan_ready") printPlan((await api(base, `/workflow/${accepted.request_id}`)) as Workflow);
    else if (event.event === "plan_invalid") console.log(`Plan attempt rejected by the validator; asking the model to repair it...`);
    else if (event.event.startsWith("step_")) {
      const status = event.event.slice("step_".length);
      const error = data.data?.error?.message ? `: ${data.data.error.message}` : "";
      console.log(`${marks[status] ?? "•"} ${data.step_id} ${status}${error}`);
    } else if (event.event === "react_turn") console.log(`🤔 turn ${(data.data as { turn?: number }).turn}: ${(data.data as { action?: string }).action}`);
    else if (event.event === "compensation") console.log(`↩️ compensation for ${data.step_id}`);
  }
  const workflow = (await api(base, `/workflow/${accepted.request_id}`)) as Workflow;
  if (json) {
    console.log(JSON.stringify(workflow, null, 2));
  } else if (workflow.status === "rejected") {
    console.log(`Rejected: ${workflow.error}`);
    for (const problem of (workflow.problems as Array<{ path: string; message: string }> | null) ?? []) console.log(`  - ${problem.path}: ${problem.message}`);
  } else {
    console.log(`\n${workflow.final_result ?? ""}`);
  }
  return workflow.status === "succeeded" ? 0 : 1;
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === "-h" || command === "--help" || command === "help") {
    console.log(help.main);
    return command ? 0 : 2;
  }
  if (!(command in help) || command === "main") throw new CliError(`unknown command "${command}".\n\n${help.main}`);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        url: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        mode: { type: "string" },
        "request-id": { type: "string" },
        status: { type: "string" },
        limit: { type: "string" },
      },
    });
  } catch (error) {
    throw new CliError(`${error instanceof Error ? error.message : String(error)}\n\n${help[command]}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(help[command]);
    return 0;
  }
  const base = values.url ?? defaultUrl;
  try {
    new URL(base);
  } catch {
    throw new CliError(`--url "${base}" is not a URL`);
  }
  switch (command) {
    case "orchestrate":
      return orchestrate(base, positionals, values);
    case "workflow": {
      const id = positionals[0];
      if (!id) throw new CliError(`workflow needs a request_id.\n\n${help.workflow}`);
      const workflow = (await api(base, `/workflow/${encodeURIComponent(id)}`)) as Workflow;
      if (values.json) console.log(JSON.stringify(workflow, null, 2));
      else {
        console.log(`${workflow.request_id}: ${workflow.status} — ${workflow.user_request}`);
        console.log(`LLM calls: ${workflow.llm_usage.calls}, tokens: ${workflow.llm_usage.total_tokens}\n`);
        printPlan(workflow);
        for (const step of workflow.steps) {
          const timing = step.duration_ms !== null ? ` ${step.duration_ms} ms` : "";
          console.log(`${marks[step.status] ?? "•"} ${step.step_order}. ${step.step_id} ${step.service_name}.${step.operation} ${step.status}${timing}${step.attempts > 1 ? ` (${step.attempts} attempts)` : ""}${step.error?.message ? `: ${step.error.message}` : ""}`);
        }
        if (workflow.final_result) console.log(`\n${workflow.final_result}`);
        else if (workflow.error) console.log(`\n${workflow.error}`);
      }
      return 0;
    }
    case "workflows": {
      const query = new URLSearchParams();
      if (values.status) query.set("status", values.status);
      if (values.limit) query.set("limit", values.limit);
      const body = (await api(base, `/workflows${query.size ? `?${query}` : ""}`)) as { workflows: Array<{ request_id: string; status: string; user_request: string; created_at: string }> };
      if (values.json) console.log(JSON.stringify(body, null, 2));
      else if (body.workflows.length === 0) console.log("No workflows yet.");
      else for (const w of body.workflows) console.log(`${w.created_at}  ${w.status.padEnd(9)}  ${w.request_id}  ${w.user_request}`);
      return 0;
    }
    case "services": {
      const body = (await api(base, "/services")) as { services: Array<{ name: string; status: string; instances: Array<{ url: string; status: string }>; capabilities: { operations: Array<{ name: string }> } | null }> };
      if (values.json) console.log(JSON.stringify(body, null, 2));
      else
        for (const service of body.services) {
          console.log(`${service.status === "healthy" ? "🟢" : service.status === "degraded" ? "🟡" : "🔴"} ${service.name} (${service.status})`);
          for (const instance of service.instances) console.log(`    ${instance.url} ${instance.status}`);
          if (service.capabilities) console.log(`    operations: ${service.capabilities.operations.map((o) => o.name).join(", ")}`);
        }
      return 0;
    }
  }
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`switchyard: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof CliError ? 2 : 1);
  },
);
