export { createAgentService, type AgentService, type AgentServiceOptions, type AgentServiceLimits, type AgentServiceDiagnostics } from "./agent-service.js";
export { AgentServiceError, type FieldError } from "./agent-service-error.js";
export { defineLocalOperation, type LocalOperation, type LocalOperations, type LocalOperationContext } from "./local-operation.js";
export type { McpTarget, McpDiagnostics } from "./mcp-connection.js";
export { inProcessMcpTarget } from "./in-process-target.js";
export { loadAgentConfig, envPrefix, type AgentConfig, type AgentConfigDefaults } from "./config.js";
export { noFaults, type FaultSettings } from "./fault-injection.js";
export {
  runAgentEntry,
  createAgentServiceFromDefinition,
  type AgentServiceDefinition,
  type AgentServiceRuntime,
} from "./entry.js";
export { startRegistration, type Registration, type RegistrationOptions } from "./registration.js";
export {
  agentServiceRequestSchema,
  agentServiceResponseSchema,
  capabilitiesSchema,
  operationDescriptorSchema,
  type AgentServiceRequest,
  type AgentServiceResponse,
  type Capabilities,
  type OperationDescriptor,
  type OperationAnnotations,
  type OperationKind,
  type TaskView,
  type TaskStatus,
  type HealthReport,
} from "./wire-format.js";
export { createValidatePaymentData } from "./local-operations/validate-payment-data.js";
export { validatePartNumber } from "./local-operations/validate-part-number.js";
export { createValidateRepairOrderTransition, type TransitionMatrix } from "./local-operations/validate-repair-order-transition.js";
