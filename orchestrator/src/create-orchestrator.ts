import type { Hono } from "hono";
import { createOrchestratorApp } from "./app.js";
import type { ServiceDirectory } from "./capabilities.js";
import type { OrchestratorConfig } from "./config.js";
import { LlmClient } from "./llm-client.js";
import { Orchestrator } from "./orchestrator.js";
import { LlmPlanner } from "./planner/llm-planner.js";
import type { Planner } from "./planner/planner.js";
import { RulePlanner } from "./planner/rule-planner.js";
import { WorkflowStore } from "./workflow-store.js";

export interface OrchestratorService {
  app: Hono;
  orchestrator: Orchestrator;
  store: WorkflowStore;
  llm: LlmClient | undefined;
  close(): void;
}

/** Wires store, planner (LLM when a key is configured, else rules), executor and API over a directory. */
export function createOrchestratorService(config: OrchestratorConfig, directory: ServiceDirectory): OrchestratorService {
  const store = new WorkflowStore(config.dataDir);
  const llm = config.OPENAI_API_KEY
    ? new LlmClient({
        apiKey: config.OPENAI_API_KEY,
        baseURL: config.OPENAI_BASE_URL,
        model: config.LLM_MODEL,
        temperature: config.LLM_TEMPERATURE,
        timeoutMs: config.LLM_TIMEOUT_MS,
        maxRetries: config.LLM_MAX_RETRIES,
      })
    : undefined;
  const planner: Planner = llm && !config.USE_RULE_PLANNER ? new LlmPlanner(llm) : new RulePlanner();
  const orchestrator = new Orchestrator(directory, store, planner, llm, {
    maxRepairAttempts: config.PLAN_REPAIR_ATTEMPTS,
    limits: { maxSteps: config.MAX_PLAN_STEPS, maxTimeoutSeconds: config.MAX_STEP_TIMEOUT_SECONDS, maxRetryAttempts: config.MAX_RETRY_ATTEMPTS },
    reactMaxTurns: config.REACT_MAX_TURNS,
    reactStepTimeoutSeconds: 30,
    callbackRetries: config.CALLBACK_RETRIES,
  });
  const app = createOrchestratorApp({ orchestrator, store, directory, maxRequestBytes: config.MAX_REQUEST_BYTES });
  return { app, orchestrator, store, llm, close: () => store.close() };
}
