/**
 * `npm start`: runs every MCP server, the registry, every agent service and the orchestrator
 * as separate processes with prefixed logs, waits until all are healthy, prints the URLs and
 * an example request, and stops them all on Ctrl-C.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { portsFromEnv, stackProcesses, type StackProcess } from "./stack.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const usage = `Usage: npm start -- [options]

Starts the whole Switchyard stack on this machine and stops it on Ctrl-C.

Options:
  --data-dir <dir>     where every service keeps its SQLite file (default: $DATA_DIR or ./data)
  --llm <mode>         planner: "auto" (an LLM when OPENAI_API_KEY is set, else rules; default),
                       "rules" (always the rule planner) or "simulated" (the built-in
                       OpenAI-compatible simulated model, to try LLM and ReAct modes offline)
  --quiet              do not echo the services' logs
  -h, --help           show this help

Ports and other settings come from the same environment variables the services read
(INVENTORY_MCP_PORT, INVENTORY_AGENT_PORT, REGISTRY_PORT, ORCHESTRATOR_PORT, OPENAI_*, ...).`;

function fail(message: string): never {
  process.stderr.write(`start: ${message}\n\n${usage}\n`);
  process.exit(2);
}

let values: { "data-dir"?: string; llm?: string; quiet?: boolean; help?: boolean };
try {
  ({ values } = parseArgs({ options: { "data-dir": { type: "string" }, llm: { type: "string" }, quiet: { type: "boolean" }, help: { type: "boolean", short: "h" } } }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const llmMode = values.llm ?? "auto";
if (!["auto", "rules", "simulated"].includes(llmMode)) fail(`--llm must be auto, rules or simulated, not "${llmMode}"`);

const dataDir = resolve(values["data-dir"] ?? process.env.DATA_DIR ?? resolve(root, "data"));
let processes: StackProcess[];
try {
  processes = stackProcesses(portsFromEnv(process.env), dataDir);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

const orchestratorProcess = processes.at(-1)!;
if (llmMode === "rules") orchestratorProcess.env.USE_RULE_PLANNER = "true";
if (llmMode === "simulated") {
  const port = process.env.SIMULATED_LLM_PORT ?? "8099";
  processes.splice(processes.length - 1, 0, {
    name: "simulated-llm",
    entry: "orchestrator/src/simulated-llm-main.ts",
    env: { SIMULATED_LLM_PORT: port },
    healthUrl: `http://127.0.0.1:${port}/v1/models`,
    url: `http://127.0.0.1:${port}/v1`,
  });
  Object.assign(orchestratorProcess.env, { OPENAI_API_KEY: "simulated", OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, LLM_MODEL: "switchyard-simulated" });
}

const width = Math.max(...processes.map((p) => p.name.length));
const children: Array<{ spec: StackProcess; child: ChildProcess; group: number }> = [];
let launchGroup = 0;
let stopping = false;

function say(message: string): void {
  process.stdout.write(`${"start".padEnd(width)} | ${message}\n`);
}

function pipeLines(stream: NodeJS.ReadableStream | null, name: string): void {
  if (!stream) return;
  let buffer = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    if (values.quiet) return;
    for (const line of lines) process.stdout.write(`${name.padEnd(width)} | ${line}\n`);
  });
}

function launch(spec: StackProcess): void {
  const child = spawn(process.execPath, ["--import", "tsx", spec.entry], { cwd: root, env: { ...process.env, ...spec.env }, stdio: ["ignore", "pipe", "pipe"] });
  pipeLines(child.stdout, spec.name);
  pipeLines(child.stderr, spec.name);
  child.once("exit", (code, signal) => {
    if (stopping) return;
    say(`${spec.name} exited (${code ?? signal}); stopping the stack`);
    void stop(1);
  });
  children.push({ spec, child, group: launchGroup });
}

async function waitHealthy(spec: StackProcess, timeoutMs: number, ready: (body: unknown) => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      const response = await fetch(spec.healthUrl, { signal: AbortSignal.timeout(2_000) });
      if (response.ok && ready(await response.json())) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${spec.name} was not healthy at ${spec.healthUrl} within ${timeoutMs / 1000} s (${last})`);
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say("stopping every service...");
  // Reverse start order: callers first, so agents can still deregister from the registry.
  for (let group = launchGroup; group >= 0; group -= 1) {
    await stopGroup(children.filter((c) => c.group === group));
  }
  say("all services stopped");
  process.exit(code);
}

async function stopGroup(members: typeof children): Promise<void> {
  await Promise.all(
    members.map(
      ({ child }) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
          child.once("exit", () => {
            clearTimeout(timer);
            done();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
}

process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

try {
  say(`data in ${dataDir}`);
  const groups = [
    processes.filter((p) => p.name.endsWith("-mcp")),
    processes.filter((p) => p.name === "registry" || p.name === "simulated-llm"),
    processes.filter((p) => p.name.endsWith("-agent")),
  ];
  for (const group of groups) {
    group.forEach(launch);
    await Promise.all(group.map((spec) => waitHealthy(spec, 60_000)));
    launchGroup += 1;
  }
  launch(orchestratorProcess);
  const expected = processes.filter((p) => p.name.endsWith("-agent")).length;
  await waitHealthy(orchestratorProcess, 60_000, (body) => ((body as { healthy_services?: unknown[] }).healthy_services?.length ?? 0) >= expected);
  if (stopping) await new Promise(() => undefined);
  const example = `curl -s -X POST ${orchestratorProcess.url}/orchestrate -H 'content-type: application/json' -d '{"user_request": "Place an order for 2 laptops"}'`;
  say("");
  say("Switchyard is up:");
  for (const spec of processes) say(`  ${spec.name.padEnd(width)}  ${spec.url}`);
  say("");
  say("Try:");
  say(`  ${example}`);
  say(`  npx switchyard orchestrate "Add part 1234 to RO 1234 and send a payment link of $100 to jordan.lee@example.com"`);
  say("Press Ctrl-C to stop.");
  say("READY");
} catch (error) {
  say(error instanceof Error ? error.message : String(error));
  await stop(1);
}
