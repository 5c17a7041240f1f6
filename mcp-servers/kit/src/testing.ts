// Test support for the MCP servers (and scripts that start them); not part of the runtime surface.
export { repositoryRoot } from "./testing/repository-root.js";
export { entryEnvironment } from "./testing/entry-environment.js";
export { spawnService, type SpawnedService } from "./testing/spawn-service.js";
export { connectHttpClient, stdioEntryTransport } from "./testing/entry-clients.js";
export { startHttpReplicas, type HttpReplicas } from "./testing/http-replicas.js";
export { temporaryDataDir, removeDataDir } from "./testing/temporary-data-dir.js";
export { startInMemoryServer, type InMemoryServer } from "./testing/in-memory-server.js";
export { databaseSnapshot } from "./testing/database-snapshot.js";
export {
  callTool,
  expectFailure,
  expectSuccess,
  runToolCalls,
  toolResultText,
  type Structured,
  type ToolCallResult,
} from "./testing/tool-call-assertions.js";
export { resourceText } from "./testing/resource-text.js";
