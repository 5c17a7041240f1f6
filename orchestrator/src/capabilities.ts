import type { AgentServiceRequest, AgentServiceResponse } from "@switchyard/registry";

export type { OperationCapability, ServiceCapabilities, AgentServiceRequest, AgentServiceResponse } from "@switchyard/registry";
import type { ServiceCapabilities } from "@switchyard/registry";

/** The `error` of a failed AgentServiceResponse. */
export type AgentServiceError = NonNullable<AgentServiceResponse["error"]>;

/** Known and healthy services, and a way to call them: the registry, seen from the orchestrator. */
export interface ServiceDirectory {
  /** Capabilities of every service that has at least one healthy instance. */
  healthyCapabilities(): ServiceCapabilities[];
  /** Names of services that are known but currently have no healthy instance. */
  unhealthyServices(): string[];
  /** Sends a request to a healthy instance of the service (with failover). */
  execute(service: string, request: AgentServiceRequest, signal?: AbortSignal): Promise<AgentServiceResponse>;
  /** Whatever the registry shows about services, for `GET /services`. */
  snapshot(): unknown;
}
