import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { envPrefix, loadAgentConfig } from "../src/index.js";

const repairOrders = { serviceName: "repair-orders", defaultPort: 8084, defaultMcpUrl: "http://127.0.0.1:3003/mcp" };

describe("loadAgentConfig", () => {
  it("uses the defaults when nothing is set", () => {
    expect(loadAgentConfig(repairOrders, {})).toEqual({
      serviceName: "repair-orders",
      host: "127.0.0.1",
      port: 8084,
      mcpUrl: "http://127.0.0.1:3003/mcp",
      mcpAuthToken: undefined,
      dataDir: resolve("./data"),
      registryUrl: undefined,
      publicUrl: undefined,
      registryTtlSeconds: 30,
      maxConcurrency: 16,
      defaultTimeoutMs: 30_000,
      retries: 3,
      faults: { errorRate: 0, latencyMs: 0, timeoutRate: 0, seed: undefined },
    });
  });

  it("reads the service's own upper-snake variables and the shared ones", () => {
    const config = loadAgentConfig(repairOrders, {
      REPAIR_ORDERS_AGENT_PORT: "0",
      REPAIR_ORDERS_MCP_URL: "http://10.0.0.5:4000/mcp",
      INVENTORY_AGENT_PORT: "9999",
      AGENT_HOST: "0.0.0.0",
      MCP_AUTH_TOKEN: "secret",
      DATA_DIR: "/tmp/switchyard",
      REGISTRY_URL: "http://127.0.0.1:8090/",
      AGENT_PUBLIC_URL: "http://repair-orders.internal:8084",
      REGISTRY_TTL_SECONDS: "60",
      MCP_MAX_CONCURRENCY: "4",
      AGENT_DEFAULT_TIMEOUT_MS: "5000",
      MCP_RETRIES: "0",
    });
    expect(config).toMatchObject({
      port: 0,
      mcpUrl: "http://10.0.0.5:4000/mcp",
      host: "0.0.0.0",
      mcpAuthToken: "secret",
      dataDir: "/tmp/switchyard",
      registryUrl: "http://127.0.0.1:8090",
      publicUrl: "http://repair-orders.internal:8084",
      registryTtlSeconds: 60,
      maxConcurrency: 4,
      defaultTimeoutMs: 5000,
      retries: 0,
    });
  });

  it("treats empty variables as unset", () => {
    expect(loadAgentConfig(repairOrders, { REGISTRY_URL: "", MCP_RETRIES: "" })).toMatchObject({ registryUrl: undefined, retries: 3 });
  });

  it("names every bad value in one error", () => {
    const load = () =>
      loadAgentConfig(repairOrders, { REPAIR_ORDERS_AGENT_PORT: "70000", REPAIR_ORDERS_MCP_URL: "not a url", MCP_MAX_CONCURRENCY: "0", REGISTRY_TTL_SECONDS: "2" });
    expect(load).toThrow(/^Invalid configuration: /);
    let message = "";
    try {
      load();
    } catch (error) {
      message = (error as Error).message;
    }
    for (const variable of ["REPAIR_ORDERS_AGENT_PORT", "REPAIR_ORDERS_MCP_URL", "MCP_MAX_CONCURRENCY", "REGISTRY_TTL_SECONDS"]) expect(message).toContain(variable);
  });

  it("derives the variable prefix from the service name", () => {
    expect(envPrefix("repair-orders")).toBe("REPAIR_ORDERS");
    expect(envPrefix("inventory")).toBe("INVENTORY");
  });
});
