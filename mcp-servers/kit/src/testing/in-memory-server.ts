import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { McpServerDefinition } from "../entry.js";
import { connectInMemoryClient } from "../in-memory-client.js";
import { removeDataDir, temporaryDataDir } from "./temporary-data-dir.js";

export interface InMemoryServer<THandle> {
  client: Client;
  /** The server's own open database. */
  database: THandle;
  dataDir: string;
  /** Closes the client and the database, and removes `dataDir` when it was created for this server. */
  close(): Promise<void>;
}

/**
 * A real SDK client connected over InMemoryTransport to a server built by `definition` over
 * a database opened (and seeded) in a fresh temp dir, or in `options.dataDir` to share one.
 */
export async function startInMemoryServer<THandle extends { close(): void }>(
  definition: Pick<McpServerDefinition<THandle>, "name" | "openDatabase" | "createServer">,
  options: { dataDir?: string; clientName?: string } = {},
): Promise<InMemoryServer<THandle>> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? temporaryDataDir(`${definition.name}-test`);
  // Set once the database is open, so that a failure after that point closes it again.
  let opened: THandle | undefined;
  try {
    const database = definition.openDatabase(dataDir);
    opened = database;
    const client = await connectInMemoryClient(definition.createServer(database), options.clientName);
    return {
      client,
      database,
      dataDir,
      close: async () => {
        await client.close();
        database.close();
        if (ownsDataDir) removeDataDir(dataDir);
      },
    };
  } catch (error) {
    opened?.close();
    if (ownsDataDir) removeDataDir(dataDir);
    throw error;
  }
}
