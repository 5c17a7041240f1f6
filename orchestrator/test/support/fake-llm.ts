import { listen, type RunningHttpServer } from "@switchyard/mcp-kit";
import { createSimulatedLlm, type ChatResponder, type SimulatedLlm } from "../../src/index.js";

/** A fake OpenAI-compatible server on a real port, so the real `openai` SDK does the talking. */
export async function startFakeLlm(respond?: ChatResponder, latencyMs = 0): Promise<SimulatedLlm & { baseURL: string; close(): Promise<void> }> {
  const llm = createSimulatedLlm({ ...(respond ? { respond } : {}), latencyMs });
  const server: RunningHttpServer = await listen(llm.app, "127.0.0.1", 0);
  return { ...llm, baseURL: `${server.url}/v1`, close: () => server.close() };
}
