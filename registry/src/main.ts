import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { loadRegistryConfig, type RegistryConfig } from "./config.js";
import { createStderrLogger } from "./logger.js";
import { createRegistryApp } from "./registry-app.js";
import { createServiceRegistry } from "./service-registry.js";

const logger = createStderrLogger("registry");

let config: RegistryConfig;
try {
  config = loadRegistryConfig(process.env);
} catch (error) {
  logger.warn(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const registry = createServiceRegistry({ ...config, logger });
const app = createRegistryApp(registry, { logger });
const staticList = Object.entries(config.staticServices).map(([name, urls]) => `${name}=${urls.join(",")}`);
logger.info(`static instances: ${staticList.length > 0 ? staticList.join(" ") : "none (self-registration only)"}`);

const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info: AddressInfo) => {
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  logger.info(`listening on http://${host}:${info.port}`);
  registry.start();
});

server.once("error", (error) => {
  logger.warn(`cannot listen on ${config.host}:${config.port}: ${error.message}`);
  process.exit(1);
});

let stopping = false;
function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  logger.info(`${signal} received, shutting down`);
  void registry.stop().then(() => {
    server.close(() => process.exit(0));
    // Event streams and keep-alive sockets would otherwise hold close() open.
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
  });
}
process.once("SIGINT", () => shutdown("SIGINT"));
process.once("SIGTERM", () => shutdown("SIGTERM"));
