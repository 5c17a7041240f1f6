import { resolve } from "node:path";
import { z } from "zod";

const boolean = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const schema = z.object({
  ORCHESTRATOR_PORT: z.coerce.number().int().min(0).max(65535).default(8086),
  ORCHESTRATOR_HOST: z.string().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().min(1).default("./data"),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  LLM_MODEL: z.string().min(1).default("gpt-4o-mini"),
  LLM_TEMPERATURE: z.coerce.number().min(0).max(2).default(0),
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  PLAN_REPAIR_ATTEMPTS: z.coerce.number().int().min(0).max(10).default(2),
  MAX_PLAN_STEPS: z.coerce.number().int().min(1).max(200).default(20),
  MAX_STEP_TIMEOUT_SECONDS: z.coerce.number().positive().default(120),
  MAX_RETRY_ATTEMPTS: z.coerce.number().int().min(0).max(20).default(5),
  REACT_MAX_TURNS: z.coerce.number().int().min(1).max(100).default(12),
  MAX_REQUEST_BYTES: z.coerce.number().int().positive().default(64 * 1024),
  CALLBACK_RETRIES: z.coerce.number().int().min(0).max(20).default(5),
  USE_RULE_PLANNER: boolean.default(false),
});

export type OrchestratorConfig = z.infer<typeof schema> & { dataDir: string };

/** Parses the orchestrator's settings once at start-up; a bad value stops it with a clear message. */
export function loadOrchestratorConfig(env: NodeJS.ProcessEnv = process.env): OrchestratorConfig {
  // A variable set to "" (common in .env files and shells) counts as unset.
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== "")));
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.DATA_DIR) };
}
