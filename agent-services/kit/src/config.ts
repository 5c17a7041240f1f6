import { resolve } from "node:path";
import { z } from "zod";
import type { FaultSettings } from "./fault-injection.js";

/** Settings of one agent service process, read from the environment once at start-up. */
export interface AgentConfig {
  serviceName: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  mcpUrl: string;
  mcpAuthToken: string | undefined;
  dataDir: string;
  registryUrl: string | undefined;
  /** The URL registered with the registry; undefined means `http://<host>:<listening port>`. */
  publicUrl: string | undefined;
  registryTtlSeconds: number;
  maxConcurrency: number;
  defaultTimeoutMs: number;
  retries: number;
  /** Injected faults (experiments): `<NAME>_FAULT_ERROR_RATE`, `<NAME>_FAULT_LATENCY_MS`, `<NAME>_FAULT_TIMEOUT_RATE`, `FAULT_SEED`. */
  faults: FaultSettings;
}

/** Per-service defaults for `loadAgentConfig`. */
export interface AgentConfigDefaults {
  serviceName: string;
  defaultPort: number;
  defaultMcpUrl: string;
}

/** `repair-orders` -> `REPAIR_ORDERS`, the prefix of the service's own variables. */
export function envPrefix(serviceName: string): string {
  return serviceName.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

const port = z.coerce.number().int().min(0).max(65535);
const httpUrl = z.url({ protocol: /^https?$/ });
const positiveInt = z.coerce.number().int().positive();
const rate = z.coerce.number().min(0).max(1);

/**
 * Parses the environment: `<NAME>_AGENT_PORT`, `<NAME>_MCP_URL`, `AGENT_HOST`, `MCP_AUTH_TOKEN`,
 * `DATA_DIR`, `REGISTRY_URL`, `AGENT_PUBLIC_URL`, `REGISTRY_TTL_SECONDS`, `MCP_MAX_CONCURRENCY`,
 * `AGENT_DEFAULT_TIMEOUT_MS`, `MCP_RETRIES`, and the fault injection variables
 * `<NAME>_FAULT_ERROR_RATE`, `<NAME>_FAULT_LATENCY_MS`, `<NAME>_FAULT_TIMEOUT_RATE` and `FAULT_SEED`.
 * Throws one error that lists every bad value.
 */
export function loadAgentConfig(defaults: AgentConfigDefaults, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  const prefix = envPrefix(defaults.serviceName);
  const portVariable = `${prefix}_AGENT_PORT`;
  const mcpUrlVariable = `${prefix}_MCP_URL`;
  const errorRateVariable = `${prefix}_FAULT_ERROR_RATE`;
  const latencyVariable = `${prefix}_FAULT_LATENCY_MS`;
  const timeoutRateVariable = `${prefix}_FAULT_TIMEOUT_RATE`;
  const schema = z.object({
    [portVariable]: port.default(defaults.defaultPort),
    [mcpUrlVariable]: httpUrl.default(defaults.defaultMcpUrl),
    AGENT_HOST: z.string().min(1).default("127.0.0.1"),
    MCP_AUTH_TOKEN: z.string().min(1).optional(),
    DATA_DIR: z.string().min(1).default("./data"),
    REGISTRY_URL: httpUrl.optional(),
    AGENT_PUBLIC_URL: httpUrl.optional(),
    // The registry accepts 5 to 3600 seconds.
    REGISTRY_TTL_SECONDS: positiveInt.min(5).max(3600).default(30),
    MCP_MAX_CONCURRENCY: positiveInt.max(1024).default(16),
    AGENT_DEFAULT_TIMEOUT_MS: positiveInt.max(3_600_000).default(30_000),
    MCP_RETRIES: z.coerce.number().int().min(0).max(20).default(3),
    [errorRateVariable]: rate.default(0),
    [latencyVariable]: z.coerce.number().int().min(0).max(600_000).default(0),
    [timeoutRateVariable]: rate.default(0),
    FAULT_SEED: z.coerce.number().int().min(0).max(4_294_967_295).optional(),
  }).refine((values) => (values[errorRateVariable] as number) + (values[timeoutRateVariable] as number) <= 1, {
    message: `${errorRateVariable} and ${timeoutRateVariable} must add up to at most 1`,
    path: [timeoutRateVariable],
  });
  // Empty strings count as unset, as a shell `VAR=` usually means.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const values = parsed.data as Record<string, unknown>;
  const text = (key: string) => values[key] as string;
  const optionalText = (key: string) => values[key] as string | undefined;
  const number = (key: string) => values[key] as number;
  return {
    serviceName: defaults.serviceName,
    host: text("AGENT_HOST"),
    port: number(portVariable),
    mcpUrl: text(mcpUrlVariable),
    mcpAuthToken: optionalText("MCP_AUTH_TOKEN"),
    dataDir: resolve(text("DATA_DIR")),
    registryUrl: optionalText("REGISTRY_URL")?.replace(/\/+$/, ""),
    publicUrl: optionalText("AGENT_PUBLIC_URL")?.replace(/\/+$/, ""),
    registryTtlSeconds: number("REGISTRY_TTL_SECONDS"),
    maxConcurrency: number("MCP_MAX_CONCURRENCY"),
    defaultTimeoutMs: number("AGENT_DEFAULT_TIMEOUT_MS"),
    retries: number("MCP_RETRIES"),
    faults: {
      errorRate: number(errorRateVariable),
      latencyMs: number(latencyVariable),
      timeoutRate: number(timeoutRateVariable),
      seed: values.FAULT_SEED as number | undefined,
    },
  };
}
