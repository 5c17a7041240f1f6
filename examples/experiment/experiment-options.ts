/**
 * The experiment's command line and environment, parsed once with zod.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { serviceNames, type ServiceName } from "../../scripts/stack.js";
import { repositoryRoot, upperSnake, type ServiceFaults } from "../../scripts/stack-launcher.js";
import { experimentModes, type ExperimentMode, type ExperimentSettings } from "./experiment-types.js";

/** The text of `npm run experiment -- --help`. */
export const experimentUsage = `Usage: npm run experiment -- [options]

Sends N orders ("Place an order for <quantity> laptops") at a given concurrency through each
mode, each on a fresh stack (new data folder, services on free loopback ports), checks the
consistency invariants on the services' data, and writes JSON results, a Markdown report and
SVG charts.

Modes:
  msa        hard-coded TypeScript workflow calling the agent services directly (no LLM baseline)
  plan       the orchestrator with the rule planner
  plan-llm   the orchestrator planning with an LLM: the OpenAI-compatible endpoint of
             OPENAI_API_KEY / OPENAI_BASE_URL / LLM_MODEL when set (and --llm auto), else the
             built-in simulated LLM (real HTTP, OpenAI wire format) with --llm-latency-ms
  react      the orchestrator's ReAct mode against the same LLM

Options:
  --modes <list>             comma-separated modes (default: msa,plan,plan-llm,react)
  -n, --requests <N>         orders per mode (default 20)
  -c, --concurrency <C>      orders in flight at once (default 4)
  --stock <S>                initial laptop stock (default 10); set on the fresh inventory
                             database before the stack starts (restock can only add)
  --quantity <Q>             laptops per order (default 2)
  --llm <auto|simulated>     auto: a real endpoint when OPENAI_API_KEY is set, else simulated
                             (default auto); simulated: always the built-in model
  --llm-latency-ms <ms>      latency the simulated LLM adds to every call (default 200)
  --fault-error-rate <spec>  share of agent calls answered 503 INJECTED_FAULT without effect
  --fault-latency-ms <spec>  delay added to every agent call
  --fault-timeout-rate <spec> share of agent calls that take effect but answer after the deadline
                             <spec> is one number for every service (0.05) or per service
                             (inventory=0.05,order=0.02); services: ${serviceNames.join(", ")}
  --fault-seed <n>           seed of the fault draws (default: $FAULT_SEED, else 1)
  --timeout-s <s>            client timeout of one request (default 120)
  --max-minutes <m>          bound of one mode: later requests are not started (default 20)
  --out <dir>                output folder (default: results/ in the checkout)
  --keep-data                keep each mode's data folder for inspection
  --verbose                  echo the services' logs
  -h, --help                 show this help

Faults can also come from the environment, as the agent services read them:
<NAME>_FAULT_ERROR_RATE, <NAME>_FAULT_LATENCY_MS, <NAME>_FAULT_TIMEOUT_RATE (<NAME> = INVENTORY,
ORDER, PAYMENT, REPAIR_ORDERS, PARTS) and FAULT_SEED; flags override them.

Only loopback traffic, except to a real LLM endpoint you configured.`;

/** Everything the experiment needs, parsed and checked. */
export interface ExperimentOptions {
  settings: ExperimentSettings;
  outDir: string;
  maxSecondsPerMode: number;
  keepData: boolean;
  verbose: boolean;
  /** "gpt-4o-mini at https://..." when a real endpoint serves the LLM modes. */
  realLlm: string | undefined;
}

/** A bad flag or variable: the message says which and why. */
export class OptionsError extends Error {
  override readonly name = "OptionsError";
}

const rate = z.coerce.number().min(0, "must be at least 0").max(1, "must be at most 1");
const latency = z.coerce.number().int("must be a whole number").min(0, "must be at least 0").max(600_000, "must be at most 600000");

const environmentSchema = z.object({
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  LLM_MODEL: z.string().min(1).default("gpt-4o-mini"),
  FAULT_SEED: z.coerce.number().int().min(0).max(4_294_967_295).optional(),
  ...Object.fromEntries(
    serviceNames.flatMap((name) => [
      [`${upperSnake(name)}_FAULT_ERROR_RATE`, rate.optional()],
      [`${upperSnake(name)}_FAULT_LATENCY_MS`, latency.optional()],
      [`${upperSnake(name)}_FAULT_TIMEOUT_RATE`, rate.optional()],
    ]),
  ),
});

const integer = (min: number, max: number) => z.coerce.number().int("must be a whole number").min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

const flagSchema = z.object({
  modes: z
    .string()
    .default(experimentModes.join(","))
    .transform((text, ctx) => {
      const modes = text.split(",").map((m) => m.trim()).filter(Boolean);
      const unknown = modes.filter((m) => !(experimentModes as readonly string[]).includes(m));
      if (unknown.length > 0 || modes.length === 0) {
        ctx.addIssue({ code: "custom", message: `unknown mode ${unknown.map((m) => `"${m}"`).join(", ") || "(none)"}; use ${experimentModes.join(", ")}` });
        return z.NEVER;
      }
      return [...new Set(modes)] as ExperimentMode[];
    }),
  requests: integer(1, 100_000).default(20),
  concurrency: integer(1, 1_000).default(4),
  stock: integer(0, 1_000_000_000).default(10),
  quantity: integer(1, 100_000).default(2),
  llm: z.enum(["auto", "simulated"], { message: 'must be "auto" or "simulated"' }).default("auto"),
  "llm-latency-ms": latency.default(200),
  "fault-seed": integer(0, 4_294_967_295).optional(),
  "timeout-s": integer(1, 3_600).default(120),
  "max-minutes": z.coerce.number().positive("must be more than 0").max(24 * 60).default(20),
  out: z.string().min(1).optional(),
  "keep-data": z.boolean().default(false),
  verbose: z.boolean().default(false),
});

/** Parses `0.05` (every service) or `inventory=0.05,order=0.1` into per-service values. */
function perService(flag: string, text: string, value: z.ZodType<number>): Partial<Record<ServiceName, number>> {
  const parse = (raw: string, where: string) => {
    const parsed = value.safeParse(raw.trim());
    if (!parsed.success) throw new OptionsError(`--${flag}: ${where}"${raw}" ${parsed.error.issues[0]?.message ?? "is invalid"}`);
    return parsed.data;
  };
  if (!text.includes("=")) {
    const all = parse(text, "");
    return Object.fromEntries(serviceNames.map((name) => [name, all]));
  }
  const result: Partial<Record<ServiceName, number>> = {};
  for (const part of text.split(",").filter((p) => p.trim())) {
    const [name, raw] = part.split("=", 2).map((s) => s.trim());
    if (!name || raw === undefined || !(serviceNames as readonly string[]).includes(name)) {
      throw new OptionsError(`--${flag}: "${part}" is not <service>=<value> with a service among ${serviceNames.join(", ")}`);
    }
    result[name as ServiceName] = parse(raw, `${name}=`);
  }
  return result;
}

/** Parses the experiment's flags and environment; throws OptionsError with a clear message. Returns undefined for --help. */
export function parseExperimentOptions(argv: string[], env: NodeJS.ProcessEnv): ExperimentOptions | undefined {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        modes: { type: "string" },
        requests: { type: "string", short: "n" },
        concurrency: { type: "string", short: "c" },
        stock: { type: "string" },
        quantity: { type: "string" },
        llm: { type: "string" },
        "llm-latency-ms": { type: "string" },
        "fault-error-rate": { type: "string" },
        "fault-latency-ms": { type: "string" },
        "fault-timeout-rate": { type: "string" },
        "fault-seed": { type: "string" },
        "timeout-s": { type: "string" },
        "max-minutes": { type: "string" },
        out: { type: "string" },
        "keep-data": { type: "boolean" },
        verbose: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new OptionsError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return undefined;

  const flags = flagSchema.safeParse(values);
  if (!flags.success) throw new OptionsError(flags.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; "));
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const environment = environmentSchema.safeParse(present);
  if (!environment.success) throw new OptionsError(environment.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const fromEnv = environment.data as Record<string, unknown>;

  const errorRates = values["fault-error-rate"] ? perService("fault-error-rate", String(values["fault-error-rate"]), rate) : {};
  const latencies = values["fault-latency-ms"] ? perService("fault-latency-ms", String(values["fault-latency-ms"]), latency) : {};
  const timeoutRates = values["fault-timeout-rate"] ? perService("fault-timeout-rate", String(values["fault-timeout-rate"]), rate) : {};
  const services: Partial<Record<ServiceName, ServiceFaults>> = {};
  for (const name of serviceNames) {
    const prefix = upperSnake(name);
    const faults: ServiceFaults = {
      errorRate: errorRates[name] ?? (fromEnv[`${prefix}_FAULT_ERROR_RATE`] as number | undefined) ?? 0,
      latencyMs: latencies[name] ?? (fromEnv[`${prefix}_FAULT_LATENCY_MS`] as number | undefined) ?? 0,
      timeoutRate: timeoutRates[name] ?? (fromEnv[`${prefix}_FAULT_TIMEOUT_RATE`] as number | undefined) ?? 0,
    };
    if (faults.errorRate! + faults.timeoutRate! > 1) throw new OptionsError(`${name}: the error rate and the timeout rate add up to more than 1`);
    if (faults.errorRate || faults.latencyMs || faults.timeoutRate) services[name] = faults;
  }

  const f = flags.data;
  const realLlm = f.llm === "auto" && environment.data.OPENAI_API_KEY !== undefined;
  return {
    settings: {
      modes: f.modes,
      requests: f.requests,
      concurrency: f.concurrency,
      stock: f.stock,
      quantity: f.quantity,
      sku: "laptop",
      llm: realLlm ? "real" : "simulated",
      llm_latency_ms: f["llm-latency-ms"],
      faults: { services, seed: f["fault-seed"] ?? environment.data.FAULT_SEED ?? 1 },
      request_timeout_seconds: f["timeout-s"],
    },
    outDir: resolve(f.out ?? resolve(repositoryRoot, "results")),
    maxSecondsPerMode: f["max-minutes"] * 60,
    keepData: f["keep-data"],
    verbose: f.verbose,
    realLlm: realLlm ? `${environment.data.LLM_MODEL} at ${environment.data.OPENAI_BASE_URL ?? "OpenAI"}` : undefined,
  };
}
