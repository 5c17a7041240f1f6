/**
 * Launches a whole local Switchyard stack as child processes (MCP servers, registry, agent
 * services, optionally the simulated LLM, and the orchestrator), waits until every one is
 * healthy, and stops them all again. Used by `npm start`, the examples' tests and the
 * experiment runner.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { serviceNames, stackProcesses, type ServiceName, type StackPorts, type StackProcess } from "./stack.js";

/** Root of the checkout: every entry path is relative to it. */
export const repositoryRoot = fileURLToPath(new URL("..", import.meta.url));

/** Planner of the orchestrator: the LLM when `OPENAI_API_KEY` is set (auto), always rules, or the built-in simulated model. */
export type LlmMode = "rules" | "simulated" | "auto";

/** Faults one agent service injects into its own `/execute` calls. */
export interface ServiceFaults {
  /** Share of calls answered 503 INJECTED_FAULT without calling the MCP server, 0 to 1. */
  errorRate?: number;
  /** Delay added before every call. */
  latencyMs?: number;
  /** Share of calls that take effect but answer only after the request's deadline, 0 to 1. */
  timeoutRate?: number;
}

/** Per-service faults plus the seed of their random draws. */
export interface FaultPlan {
  services: Partial<Record<ServiceName, ServiceFaults>>;
  seed?: number;
}

/** What to launch and how: folders, ports, planner, faults, logging and cancellation. */
export interface LaunchOptions {
  /** Folder of every SQLite file. */
  dataDir: string;
  ports: StackPorts;
  /** Extra environment for every process (after the inherited one, before each process's own). */
  env?: Record<string, string>;
  llm: LlmMode;
  /** Port of the simulated LLM when `llm` is "simulated" (default 8099). */
  simulatedLlmPort?: number;
  /** Latency the simulated LLM adds to every answer (default: its own `SIMULATED_LLM_LATENCY_MS`, else 0). */
  simulatedLlmLatencyMs?: number;
  /** When given, every agent gets explicit fault settings (0 where unset); when absent, agents read the inherited environment. */
  faults?: FaultPlan;
  /** Receives every line the processes print; without it their output is discarded (the last lines are kept for errors). */
  log?: (processName: string, line: string) => void;
  /** Called when a process exits while the stack runs (the stack is not stopped for you). */
  onUnexpectedExit?: (processName: string, reason: string) => void;
  /** Launching stops everything it started and rejects when this aborts. */
  signal?: AbortSignal;
  /** How long each group may take to become healthy (default 60 s). */
  healthTimeoutMs?: number;
}

/** A process of a running stack. */
export interface StackMember {
  name: string;
  pid: number;
  url: string;
}

/** Where a running stack's services listen. */
export interface StackUrls {
  orchestrator: string;
  registry: string;
  agents: Record<ServiceName, string>;
  mcp: Record<ServiceName, string>;
  simulatedLlm?: string;
}

/** A launched stack: its URLs, its processes, and how to stop it. */
export interface RunningStack {
  urls: StackUrls;
  processes: StackMember[];
  /** Stops every process, callers first (SIGTERM, SIGKILL after 5 s); safe to call more than once. */
  stop(): Promise<void>;
}

const TAIL_LINES = 40;

/** `repair-orders` -> `REPAIR_ORDERS`. */
export function upperSnake(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

/** Environment variables that configure the agents' fault injection for a plan. */
export function faultEnvironment(plan: FaultPlan): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of serviceNames) {
    const faults = plan.services[name] ?? {};
    const prefix = upperSnake(name);
    env[`${prefix}_FAULT_ERROR_RATE`] = String(faults.errorRate ?? 0);
    env[`${prefix}_FAULT_LATENCY_MS`] = String(faults.latencyMs ?? 0);
    env[`${prefix}_FAULT_TIMEOUT_RATE`] = String(faults.timeoutRate ?? 0);
  }
  if (plan.seed !== undefined) env.FAULT_SEED = String(plan.seed);
  return env;
}

/** The processes a launch would start, in start order, with the LLM and fault settings applied. */
export function planStack(options: Pick<LaunchOptions, "dataDir" | "ports" | "llm" | "simulatedLlmPort" | "simulatedLlmLatencyMs" | "faults">): StackProcess[] {
  const processes = stackProcesses(options.ports, options.dataDir);
  const orchestrator = processes.at(-1)!;
  if (options.llm === "rules") orchestrator.env.USE_RULE_PLANNER = "true";
  if (options.llm === "simulated") {
    const port = options.simulatedLlmPort ?? 8099;
    processes.splice(processes.length - 1, 0, {
      name: "simulated-llm",
      entry: "orchestrator/src/simulated-llm-main.ts",
      env: {
        SIMULATED_LLM_PORT: String(port),
        ...(options.simulatedLlmLatencyMs !== undefined ? { SIMULATED_LLM_LATENCY_MS: String(options.simulatedLlmLatencyMs) } : {}),
      },
      healthUrl: `http://127.0.0.1:${port}/v1/models`,
      url: `http://127.0.0.1:${port}/v1`,
    });
    Object.assign(orchestrator.env, {
      OPENAI_API_KEY: "simulated",
      OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`,
      LLM_MODEL: "switchyard-simulated",
      USE_RULE_PLANNER: "false",
    });
  }
  if (options.faults) {
    const env = faultEnvironment(options.faults);
    for (const spec of processes) if (spec.name.endsWith("-agent")) Object.assign(spec.env, env);
  }
  return processes;
}

/** Ports that were free a moment ago: each is bound on 127.0.0.1 with port 0, then released. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** A full set of free ports for a stack, plus one for the simulated LLM. */
export async function freeStackPorts(): Promise<{ ports: StackPorts; simulatedLlmPort: number }> {
  const ports = await freePorts(13);
  const take = () => ports.shift()!;
  const mcp = {} as Record<ServiceName, number>;
  const agent = {} as Record<ServiceName, number>;
  for (const name of serviceNames) {
    mcp[name] = take();
    agent[name] = take();
  }
  return { ports: { mcp, agent, registry: take(), orchestrator: take() }, simulatedLlmPort: take() };
}

interface Child {
  spec: StackProcess;
  process: ChildProcess;
  group: number;
  tail: string[];
}

/**
 * Starts the stack group by group (MCP servers; registry and simulated LLM; agent services;
 * orchestrator), each group healthy before the next starts, and resolves when the
 * orchestrator sees every agent service as healthy. On any failure it stops what it started.
 */
export async function launchStack(options: LaunchOptions): Promise<RunningStack> {
  const specs = planStack(options);
  const children: Child[] = [];
  const healthTimeoutMs = options.healthTimeoutMs ?? 60_000;
  let group = 0;
  let stopping: Promise<void> | undefined;
  let failure: Error | undefined;

  // A last resort when the parent exits without stopping the stack: no orphans left behind.
  const killAll = () => {
    for (const child of children) if (isRunning(child.process)) child.process.kill("SIGKILL");
  };
  process.once("exit", killAll);

  const tailOf = (child: Child) => (child.tail.length ? `\n${child.tail.map((l) => `  ${child.spec.name} | ${l}`).join("\n")}` : "");

  function launch(spec: StackProcess): void {
    const child: Child = {
      spec,
      group,
      tail: [],
      process: spawn(process.execPath, ["--import", "tsx", spec.entry], {
        cwd: repositoryRoot,
        env: { ...process.env, ...options.env, ...spec.env },
        stdio: ["ignore", "pipe", "pipe"],
      }),
    };
    const onLine = (line: string) => {
      child.tail.push(line);
      if (child.tail.length > TAIL_LINES) child.tail.shift();
      options.log?.(spec.name, line);
    };
    pipeLines(child.process.stdout, onLine);
    pipeLines(child.process.stderr, onLine);
    child.process.once("exit", (code, signal) => {
      if (stopping) return;
      const reason = `exited (${code ?? signal})`;
      failure ??= new Error(`${spec.name} ${reason}${tailOf(child)}`);
      options.onUnexpectedExit?.(spec.name, reason);
    });
    children.push(child);
  }

  async function waitHealthy(spec: StackProcess, ready: (body: unknown) => boolean = () => true): Promise<void> {
    const deadline = Date.now() + healthTimeoutMs;
    let last = "";
    while (Date.now() < deadline) {
      if (failure) throw failure;
      options.signal?.throwIfAborted();
      try {
        const response = await fetch(spec.healthUrl, { signal: AbortSignal.timeout(2_000) });
        if (response.ok && ready(await response.json())) return;
        last = `HTTP ${response.status}`;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const child = children.find((c) => c.spec === spec);
    throw new Error(`${spec.name} was not healthy at ${spec.healthUrl} within ${healthTimeoutMs / 1000} s (${last})${child ? tailOf(child) : ""}`);
  }

  function stop(): Promise<void> {
    stopping ??= (async () => {
      // Reverse start order: callers first, so agents can still deregister from the registry.
      for (let g = group; g >= 0; g -= 1) await stopGroup(children.filter((c) => c.group === g));
      process.removeListener("exit", killAll);
    })();
    return stopping;
  }

  const onAbort = () => void stop();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const groups = [
      specs.filter((p) => p.name.endsWith("-mcp")),
      specs.filter((p) => p.name === "registry" || p.name === "simulated-llm"),
      specs.filter((p) => p.name.endsWith("-agent")),
    ];
    for (const members of groups) {
      options.signal?.throwIfAborted();
      members.forEach(launch);
      await Promise.all(members.map((spec) => waitHealthy(spec)));
      group += 1;
    }
    const orchestrator = specs.at(-1)!;
    options.signal?.throwIfAborted();
    launch(orchestrator);
    const expected = serviceNames.length;
    await waitHealthy(orchestrator, (body) => ((body as { healthy_services?: unknown[] }).healthy_services?.length ?? 0) >= expected);
    // A health answer may have come from someone else's server on a port that was taken.
    if (failure) throw failure;
  } catch (error) {
    await stop();
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }

  const urlOf = (name: string) => specs.find((s) => s.name === name)!.url;
  const byService = (suffix: string) => Object.fromEntries(serviceNames.map((n) => [n, urlOf(`${n}${suffix}`)])) as Record<ServiceName, string>;
  const simulated = specs.find((s) => s.name === "simulated-llm");
  return {
    urls: {
      orchestrator: urlOf("orchestrator"),
      registry: urlOf("registry"),
      agents: byService("-agent"),
      mcp: byService("-mcp"),
      ...(simulated ? { simulatedLlm: simulated.url } : {}),
    },
    processes: children.map((c) => ({ name: c.spec.name, pid: c.process.pid ?? -1, url: c.spec.url })),
    stop,
  };
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function pipeLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let buffer = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  });
}

async function stopGroup(members: Child[]): Promise<void> {
  await Promise.all(
    members.map(
      ({ process: child }) =>
        new Promise<void>((done) => {
          if (!isRunning(child)) return done();
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

/**
 * Launches on free ports (see `freeStackPorts`); when a port was taken by someone else between
 * choosing and binding it (EADDRINUSE), tries again with new ports, up to `attempts` times.
 */
export async function launchStackOnFreePorts(options: Omit<LaunchOptions, "ports" | "simulatedLlmPort">, attempts = 3): Promise<RunningStack> {
  for (let attempt = 1; ; attempt += 1) {
    const { ports, simulatedLlmPort } = await freeStackPorts();
    try {
      return await launchStack({ ...options, ports, simulatedLlmPort });
    } catch (error) {
      const portTaken = error instanceof Error && error.message.includes("EADDRINUSE");
      if (!portTaken || attempt >= attempts || options.signal?.aborted) throw error;
    }
  }
}

