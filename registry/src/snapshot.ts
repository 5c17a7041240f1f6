import type { ServiceCapabilities } from "./capabilities.js";

/** `unknown` until enough probes agree; only `healthy` instances receive requests. */
export type InstanceStatus = "unknown" | "healthy" | "unhealthy";
/** healthy: every instance healthy; degraded: some; down: none (or no instances). */
export type ServiceStatus = "healthy" | "degraded" | "down";
/** Static instances come from configuration and never expire; registered ones need heartbeats. */
export type InstanceSource = "static" | "registered";

/** One instance as `GET /services` shows it. */
export interface InstanceSnapshot {
  url: string;
  source: InstanceSource;
  status: InstanceStatus;
  last_check: string | null;
  last_error: string | null;
  consecutive_failures: number;
  consecutive_successes: number;
  /** Duration of the last health probe. */
  latency_ms: number | null;
  /** Registered instances only: removed at this time unless a heartbeat arrives. */
  expires_at?: string;
}

/** One service as `GET /services` shows it. */
export interface ServiceSnapshot {
  name: string;
  status: ServiceStatus;
  instances: InstanceSnapshot[];
  capabilities: ServiceCapabilities | null;
  /** When the cached capabilities were last replaced by a different document. */
  capabilities_updated_at: string | null;
}

/** Everything the registry knows, sorted by service name. */
export interface RegistrySnapshot {
  services: ServiceSnapshot[];
}
