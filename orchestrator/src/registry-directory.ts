import type { ServiceRegistry } from "@switchyard/registry";
import type { ServiceDirectory } from "./capabilities.js";

/** The embedded registry as the orchestrator's service directory. */
export function directoryFromRegistry(registry: ServiceRegistry): ServiceDirectory {
  return {
    healthyCapabilities: () => registry.healthyCapabilities(),
    unhealthyServices: () => registry.unhealthyServices(),
    snapshot: () => registry.snapshot(),
    execute: async (service, request, signal) => (await registry.execute(service, request, signal ? { signal } : {})).response,
  };
}
