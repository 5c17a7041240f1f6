/**
 * `npm start`: runs every MCP server, the registry, every agent service and the orchestrator
 * as separate processes with prefixed logs, waits until all are healthy, prints the URLs and
 * an example request, and stops them all on Ctrl-C.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { launchStack, planStack, repositoryRoot, type LlmMode, type RunningStack } from "./stack-launcher.js";
import { portsFromEnv, type StackPorts } from "./stack.js";

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
const llm = (values.llm ?? "auto") as LlmMode;
if (!["auto", "rules", "simulated"].includes(llm)) fail(`--llm must be auto, rules or simulated, not "${llm}"`);

const dataDir = resolve(values["data-dir"] ?? process.env.DATA_DIR ?? resolve(repositoryRoot, "data"));
let ports: StackPorts;
try {
  ports = portsFromEnv(process.env);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const simulatedPortText = process.env.SIMULATED_LLM_PORT ?? "8099";
const simulatedLlmPort = Number(simulatedPortText);
if (!Number.isInteger(simulatedLlmPort) || simulatedLlmPort < 1 || simulatedLlmPort > 65535) {
  fail(`SIMULATED_LLM_PORT must be a port number from 1 to 65535, not "${simulatedPortText}"`);
}

const planned = planStack({ dataDir, ports, llm, simulatedLlmPort });
const width = Math.max(...planned.map((p) => p.name.length));
const launching = new AbortController();
let launched: Promise<RunningStack> | undefined;
let stopping = false;

function say(message: string): void {
  process.stdout.write(`${"start".padEnd(width)} | ${message}\n`);
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say("stopping every service...");
  // An unfinished launch stops what it started before it rejects.
  launching.abort();
  await launched?.then((stack) => stack.stop(), () => undefined);
  say("all services stopped");
  process.exit(code);
}

process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

say(`data in ${dataDir}`);
let stack: RunningStack;
try {
  launched = launchStack({
    dataDir,
    ports,
    llm,
    simulatedLlmPort,
    signal: launching.signal,
    log: values.quiet ? undefined : (name, line) => process.stdout.write(`${name.padEnd(width)} | ${line}\n`),
    onUnexpectedExit: (name, reason) => {
      if (stopping) return;
      say(`${name} ${reason}; stopping the stack`);
      void stop(1);
    },
  });
  stack = await launched;
} catch (error) {
  // A Ctrl-C during start-up aborts the launch; stop() is already reporting and exiting.
  if (stopping) await new Promise(() => undefined);
  say(error instanceof Error ? error.message : String(error));
  await stop(1);
  throw error;
}

const example = `curl -s -X POST ${stack.urls.orchestrator}/orchestrate -H 'content-type: application/json' -d '{"user_request": "Place an order for 2 laptops"}'`;
say("");
say("Switchyard is up:");
for (const member of stack.processes) say(`  ${member.name.padEnd(width)}  ${member.url}`);
say("");
say("Try:");
say(`  ${example}`);
say(`  npx switchyard orchestrate "Add part 1234 to RO 1234 and send a payment link of $100 to jordan.lee@example.com"`);
say("Press Ctrl-C to stop.");
say("READY");
