import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { connectInMemoryClient } from "@switchyard/mcp-kit";
import { createRepairOrdersServer, openRepairOrdersDatabase, type RepairOrdersDatabase } from "../src/index.js";

export interface InMemoryRepairOrdersServer {
  client: Client;
  database: RepairOrdersDatabase;
  dataDir: string;
  close(): Promise<void>;
}

/** A real SDK client connected to a repair-orders server over a freshly seeded database in a temp dir. */
export async function startInMemoryRepairOrdersServer(): Promise<InMemoryRepairOrdersServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "switchyard-repair-orders-test-"));
  const database = openRepairOrdersDatabase(dataDir);
  const client = await connectInMemoryClient(createRepairOrdersServer(database));
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
