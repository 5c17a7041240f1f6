import { describe, expect, test } from "vitest";
import { loadRegistryConfig, RegistryError } from "../src/index.js";

describe("loadRegistryConfig", () => {
  test("defaults: port 8090 on loopback, one static instance per service on its design port", () => {
    expect(loadRegistryConfig({})).toEqual({
      host: "127.0.0.1",
      port: 8090,
      staticServices: {
        inventory: ["http://127.0.0.1:8081"],
        order: ["http://127.0.0.1:8082"],
        payment: ["http://127.0.0.1:8083"],
        "repair-orders": ["http://127.0.0.1:8084"],
        parts: ["http://127.0.0.1:8085"],
      },
      healthCheckIntervalMs: 5_000,
      healthCheckTimeoutMs: 2_000,
      unhealthyThreshold: 2,
      healthyThreshold: 1,
      capabilitiesRefreshMs: 30_000,
      defaultTtlSeconds: 30,
    });
  });

  test("reads comma-separated instance lists, numbers and the static switch", () => {
    const config = loadRegistryConfig({
      REGISTRY_PORT: "0",
      REGISTRY_HOST: "0.0.0.0",
      INVENTORY_SERVICE_URL: "http://10.0.0.1:8081/, http://10.0.0.2:8081,http://10.0.0.1:8081",
      REPAIR_ORDERS_SERVICE_URL: "https://ro.internal",
      HEALTH_CHECK_INTERVAL_MS: "250",
      HEALTH_CHECK_TIMEOUT_MS: "100",
      UNHEALTHY_THRESHOLD: "3",
      HEALTHY_THRESHOLD: "2",
      CAPABILITIES_REFRESH_MS: "1000",
      REGISTRY_DEFAULT_TTL_SECONDS: "15",
    });
    expect(config).toMatchObject({ host: "0.0.0.0", port: 0, healthCheckIntervalMs: 250, healthCheckTimeoutMs: 100, unhealthyThreshold: 3, healthyThreshold: 2, capabilitiesRefreshMs: 1_000, defaultTtlSeconds: 15 });
    expect(config.staticServices.inventory).toEqual(["http://10.0.0.1:8081", "http://10.0.0.2:8081"]);
    expect(config.staticServices["repair-orders"]).toEqual(["https://ro.internal"]);

    expect(loadRegistryConfig({ REGISTRY_STATIC_SERVICES: "false", INVENTORY_SERVICE_URL: "http://10.0.0.1:8081" }).staticServices).toEqual({});
    expect(loadRegistryConfig({ REGISTRY_STATIC_SERVICES: "TRUE" }).staticServices.order).toEqual(["http://127.0.0.1:8082"]);
    // A blank variable counts as unset.
    expect(loadRegistryConfig({ REGISTRY_PORT: "", PARTS_SERVICE_URL: " " })).toMatchObject({ port: 8090, staticServices: { parts: ["http://127.0.0.1:8085"] } });
  });

  test.each([
    [{ REGISTRY_PORT: "http" }, "REGISTRY_PORT must be a whole number between 0 and 65535"],
    [{ REGISTRY_PORT: "70000" }, "REGISTRY_PORT must be at most 65535"],
    [{ UNHEALTHY_THRESHOLD: "0" }, "UNHEALTHY_THRESHOLD must be at least 1"],
    [{ HEALTH_CHECK_INTERVAL_MS: "-5" }, "HEALTH_CHECK_INTERVAL_MS must be a whole number"],
    [{ REGISTRY_DEFAULT_TTL_SECONDS: "2" }, "REGISTRY_DEFAULT_TTL_SECONDS must be at least 5"],
    [{ REGISTRY_STATIC_SERVICES: "yes" }, 'REGISTRY_STATIC_SERVICES must be "true" or "false"'],
    [{ ORDER_SERVICE_URL: "http://127.0.0.1:8082,localhost:9" }, 'ORDER_SERVICE_URL "localhost:9" is not an absolute http(s) base URL'],
  ])("refuses %j with a message naming the variable", (env, message) => {
    let thrown: unknown;
    try {
      loadRegistryConfig(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RegistryError);
    expect((thrown as RegistryError).code).toBe("INVALID_CONFIG");
    expect((thrown as RegistryError).message).toContain(message);
  });

  test("reports every bad variable at once", () => {
    expect(() => loadRegistryConfig({ REGISTRY_PORT: "x", HEALTHY_THRESHOLD: "0" })).toThrow(
      /^Invalid registry configuration: REGISTRY_PORT .*; HEALTHY_THRESHOLD must be at least 1$/,
    );
  });
});
