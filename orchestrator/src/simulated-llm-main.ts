import { z } from "zod";
import { listen } from "@switchyard/mcp-kit";
import { createSimulatedLlm } from "./simulated-llm.js";

const config = z
  .object({
    SIMULATED_LLM_PORT: z.coerce.number().int().min(0).max(65535).default(8099),
    SIMULATED_LLM_HOST: z.string().min(1).default("127.0.0.1"),
    SIMULATED_LLM_LATENCY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
  })
  .safeParse(process.env);
if (!config.success) {
  process.stderr.write(`[simulated-llm] Invalid configuration: ${config.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}\n`);
  process.exit(1);
}

const { app } = createSimulatedLlm({ latencyMs: config.data.SIMULATED_LLM_LATENCY_MS });
const server = await listen(app, config.data.SIMULATED_LLM_HOST, config.data.SIMULATED_LLM_PORT);
process.stderr.write(`[simulated-llm] listening on ${server.url}/v1 (OpenAI-compatible, ${config.data.SIMULATED_LLM_LATENCY_MS} ms latency)\n`);
const shutdown = () => void server.close().then(() => process.exit(0));
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
