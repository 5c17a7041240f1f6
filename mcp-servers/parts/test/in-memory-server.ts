import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { connectInMemoryClient } from "@switchyard/mcp-kit";
import { createPartsServer, openPartsDatabase, type PartsDatabase } from "../src/index.js";

export interface InMemoryPartsServer {
  client: Client;
  database: PartsDatabase;
  dataDir: string;
  close(): Promise<void>;
}

/** A real SDK client connected to a parts server over a freshly seeded database in a temp dir. */
export async function startInMemoryPartsServer(): Promise<InMemoryPartsServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "switchyard-parts-test-"));
  const database = openPartsDatabase(dataDir);
  const client = await connectInMemoryClient(createPartsServer(database));
  return {
    client,
    database,
    dataDir,
    close: async () => {
      await client.close();
      database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
