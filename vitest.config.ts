import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{mcp-servers,agent-services,registry,orchestrator,examples,scripts}/**/test/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    pool: "forks",
    // Memory-bound tests collect garbage before they measure the heap.
    execArgv: ["--expose-gc"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: end-to-end suites start real processes, so cap the parallel files.
    maxWorkers: 2,
    env: { TURBO_TELEMETRY_DISABLED: "1" },
  },
});
