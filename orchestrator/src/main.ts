import { listen } from "@switchyard/mcp-kit";
import { createServiceRegistry, loadRegistryConfig } from "@switchyard/registry";
import { loadOrchestratorConfig } from "./config.js";
import { createOrchestratorService } from "./create-orchestrator.js";
import { directoryFromRegistry } from "./registry-directory.js";

function log(message: string): void {
  process.stderr.write(`[orchestrator] ${message}\n`);
}

try {
  const config = loadOrchestratorConfig();
  const registryConfig = loadRegistryConfig();
  const registry = createServiceRegistry(registryConfig);
  registry.start();
  await registry.checkNow();
  const service = createOrchestratorService(config, directoryFromRegistry(registry));
  const server = await listen(service.app, config.ORCHESTRATOR_HOST, config.ORCHESTRATOR_PORT);
  const planner = service.orchestrator.plannerKind === "llm" ? `LLM ${config.LLM_MODEL}${config.OPENAI_BASE_URL ? ` at ${config.OPENAI_BASE_URL}` : ""}` : "rule planner (no OPENAI_API_KEY)";
  log(`listening on ${server.url} with the ${planner}`);
  const shutdown = () => {
    void Promise.all([server.close(), registry.stop()]).then(() => {
      service.close();
      process.exit(0);
    });
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
