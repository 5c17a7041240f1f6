import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { connectHttpClient } from "./entry-clients.js";
import { spawnService, type SpawnedService } from "./spawn-service.js";

export interface HttpReplicas {
  servers: SpawnedService[];
  /** One client per server, in the same order. */
  clients: Client[];
  /** Closes the clients, then stops the processes. */
  stop(): Promise<void>;
}

/**
 * Starts `count` processes of one HTTP entry with the same environment (like replicas of a
 * service sharing one data folder) and connects a client to each. On failure nothing is left running.
 */
export async function startHttpReplicas(
  entry: string,
  env: Record<string, string | undefined>,
  options: { clientName: string; count?: number },
): Promise<HttpReplicas> {
  const started = await Promise.allSettled(Array.from({ length: options.count ?? 2 }, () => spawnService(entry, env)));
  const servers = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const clients: Client[] = [];
  const stop = async () => {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    for (const server of servers) clients.push(await connectHttpClient(server.url, options.clientName));
    return { servers, clients, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
