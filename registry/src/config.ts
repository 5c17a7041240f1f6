import { z } from "zod";
import { normalizeBaseUrl } from "./base-url.js";
import { RegistryError } from "./registry-error.js";

/** The registry's settings, parsed once from the environment at start-up. */
export interface RegistryConfig {
  host: string;
  port: number;
  /** Base URLs by service name; empty when `REGISTRY_STATIC_SERVICES=false`. */
  staticServices: Record<string, string[]>;
  healthCheckIntervalMs: number;
  healthCheckTimeoutMs: number;
  unhealthyThreshold: number;
  healthyThreshold: number;
  capabilitiesRefreshMs: number;
  defaultTtlSeconds: number;
}

/** Each service's URL variable and its default instance, as in DESIGN.md's port table. */
export const staticServiceVariables = {
  inventory: { variable: "INVENTORY_SERVICE_URL", default: "http://127.0.0.1:8081" },
  order: { variable: "ORDER_SERVICE_URL", default: "http://127.0.0.1:8082" },
  payment: { variable: "PAYMENT_SERVICE_URL", default: "http://127.0.0.1:8083" },
  "repair-orders": { variable: "REPAIR_ORDERS_SERVICE_URL", default: "http://127.0.0.1:8084" },
  parts: { variable: "PARTS_SERVICE_URL", default: "http://127.0.0.1:8085" },
} as const;

// An empty variable counts as unset, as shells and .env files often leave them.
function unsetWhenBlank(value: unknown): unknown {
  return typeof value === "string" && value.trim() === "" ? undefined : value;
}

function integer(min: number, max: number, fallback: number) {
  return z.preprocess(
    unsetWhenBlank,
    z
      .string()
      .trim()
      .regex(/^\d+$/, `must be a whole number between ${min} and ${max}`)
      .transform(Number)
      .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
      .default(fallback),
  );
}

function urlList(fallback: string) {
  return z.preprocess(
    unsetWhenBlank,
    z
      .string()
      .default(fallback)
      .transform((value, ctx) => {
        const urls: string[] = [];
        for (const item of value.split(",").map((part) => part.trim()).filter(Boolean)) {
          const url = normalizeBaseUrl(item);
          if (url === undefined) {
            ctx.addIssue({ code: "custom", message: `"${item}" is not an absolute http(s) base URL` });
            return z.NEVER;
          }
          if (!urls.includes(url)) urls.push(url);
        }
        return urls;
      }),
  );
}

const environmentSchema = z.object({
  REGISTRY_HOST: z.preprocess(unsetWhenBlank, z.string().trim().default("127.0.0.1")),
  REGISTRY_PORT: integer(0, 65_535, 8090),
  REGISTRY_STATIC_SERVICES: z.preprocess(
    (value) => (typeof unsetWhenBlank(value) === "string" ? (value as string).trim().toLowerCase() : undefined),
    z.enum(["true", "false"], { error: 'must be "true" or "false"' }).default("true"),
  ),
  HEALTH_CHECK_INTERVAL_MS: integer(10, 3_600_000, 5_000),
  HEALTH_CHECK_TIMEOUT_MS: integer(1, 600_000, 2_000),
  UNHEALTHY_THRESHOLD: integer(1, 100, 2),
  HEALTHY_THRESHOLD: integer(1, 100, 1),
  CAPABILITIES_REFRESH_MS: integer(100, 86_400_000, 30_000),
  REGISTRY_DEFAULT_TTL_SECONDS: integer(5, 3_600, 30),
  ...Object.fromEntries(Object.values(staticServiceVariables).map((entry) => [entry.variable, urlList(entry.default)])),
});

/**
 * Parses the registry's environment variables (see README). Throws a `RegistryError`
 * with code `INVALID_CONFIG` naming every bad variable; entry points print it and exit 1.
 */
export function loadRegistryConfig(env: Record<string, string | undefined> = process.env): RegistryConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({ variable: issue.path.map(String).join("."), message: issue.message }));
    throw new RegistryError(
      "INVALID_CONFIG",
      `Invalid registry configuration: ${problems.map((problem) => `${problem.variable} ${problem.message}`).join("; ")}`,
      problems,
    );
  }
  const values = parsed.data as z.output<typeof environmentSchema> & Record<string, string[]>;
  const staticServices: Record<string, string[]> = {};
  if (values.REGISTRY_STATIC_SERVICES === "true") {
    for (const [name, entry] of Object.entries(staticServiceVariables)) {
      const urls = values[entry.variable] ?? [];
      if (urls.length > 0) staticServices[name] = urls;
    }
  }
  return {
    host: values.REGISTRY_HOST,
    port: values.REGISTRY_PORT,
    staticServices,
    healthCheckIntervalMs: values.HEALTH_CHECK_INTERVAL_MS,
    healthCheckTimeoutMs: values.HEALTH_CHECK_TIMEOUT_MS,
    unhealthyThreshold: values.UNHEALTHY_THRESHOLD,
    healthyThreshold: values.HEALTHY_THRESHOLD,
    capabilitiesRefreshMs: values.CAPABILITIES_REFRESH_MS,
    defaultTtlSeconds: values.REGISTRY_DEFAULT_TTL_SECONDS,
  };
}
