export { openDatabase, type OpenDatabaseOptions, type ServiceDatabase } from "./database.js";
export { DomainError } from "./domain-error.js";
export { idempotencyKeys, idempotencyKeyInput, runIdempotent, hashRequest } from "./idempotency.js";
export { toolSuccess, toolFailure, runTool } from "./tool-result.js";
export {
  readOnlyAnnotations,
  additiveAnnotations,
  additiveIdempotentAnnotations,
  destructiveIdempotentAnnotations,
  destructiveAnnotations,
} from "./tool-annotations.js";
export { jsonResource } from "./json-resource.js";
export { createMcpHttpApp, listen, type McpHttpOptions, type RunningHttpServer } from "./http-transport.js";
export { runStdio } from "./stdio-transport.js";
export { loadMcpServerConfig, type McpServerConfig } from "./config.js";
export { runHttpEntry, runStdioEntry, type McpServerDefinition } from "./entry.js";
export { connectInMemoryClient } from "./in-memory-client.js";
export type { ToolCallCase } from "./tool-call-case.js";
